"use client";

import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useLayoutEffect, useState, type RefObject } from "react";

/**
 * `listRef` is the list's element (the table). Long lists (a house of 1,000 apartments, 2,000 meters, 1,000 invoices) draw only the rows on
 * screen and a few around them, with spacers for the rest, so that a keystroke lays out a few
 * dozen rows instead of thousands. The page scrolls as usual (the window is the scroller).
 *
 * The server renders the first screen's rows for a 1366 × 900 window, and the browser's first
 * render (hydration) draws the same ones; the real window takes over right after. Rows may be
 * of any height: each drawn row is measured.
 */
export function useWindowRows(
  listRef: RefObject<HTMLElement | null>,
  count: number,
  { estimate, overscan = 8 }: { estimate: number; overscan?: number },
) {
  // Where the list starts on the page: what is above it may grow or shrink (a form's error).
  const [margin, setMargin] = useState(FIRST_SCREEN_MARGIN);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const measure = () => setMargin(Math.round(list.getBoundingClientRect().top + window.scrollY));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [listRef]);
  const virtualizer = useWindowVirtualizer({
    count,
    estimateSize: () => estimate,
    overscan,
    scrollMargin: margin,
    initialRect: { width: 1366, height: 900 },
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items.at(-1);
  return {
    virtualizer,
    items,
    /** px of rows not drawn above and below the drawn ones */
    before: first ? first.start - margin : 0,
    after: last ? Math.max(0, virtualizer.getTotalSize() - (last.end - margin)) : 0,
  };
}

/** A guess of where a list starts on the first screen (header, title, forms above it). */
const FIRST_SCREEN_MARGIN = 300;
