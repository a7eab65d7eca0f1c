"use client";

import { useEffect } from "react";

/**
 * Marks the document once React runs it (`<html data-hydrated>`): the browser tests and
 * `npm run bench:ui` wait for it instead of guessing when a page became usable.
 */
export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}
