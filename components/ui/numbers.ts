"use client";

import { useLocale } from "next-intl";
import { numberFormats, type NumberFormats } from "@/lib/format";

/** Money, areas, readings and prices as the reader of this page writes them (lib/format.ts). */
export function useNumbers(): NumberFormats {
  return numberFormats(useLocale());
}
