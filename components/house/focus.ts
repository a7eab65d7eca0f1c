"use client";

import { useCallback, useEffect, useRef } from "react";

/**
 * Moves focus to an element (by id) once React has committed the render that shows it: after
 * a form closes, focus goes back to the button that opened it instead of being lost to <body>.
 */
export function useFocusAfterRender(): (id: string) => void {
  const target = useRef<string | null>(null);
  useEffect(() => {
    if (!target.current) return;
    const element = document.getElementById(target.current);
    if (element) {
      element.focus();
      target.current = null;
    }
  });
  return useCallback((id: string) => {
    target.current = id;
  }, []);
}
