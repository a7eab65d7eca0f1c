import { useEffect, useLayoutEffect, useRef } from "react";

/**
 * While `active`, asks before the page is left: the browser's own prompt when the tab is
 * closed or reloaded (beforeunload), and `message` in a confirm for in-app links, which
 * Next.js follows without unloading the page, and for buttons marked `data-leaves-page`. The click is caught on window in the capture
 * phase, before React's handlers on the document see it.
 *
 * The listeners are added once, when the page mounts, and ask only while `active`: adding them
 * when the first digit is typed cost that keystroke about 5 ms (Chromium tells its browser
 * process about a beforeunload listener) plus a pass over the page's effects.
 */
export function useLeaveGuard(active: boolean, message: string) {
  // `confirmed`: leaving was agreed to (a link's confirm): the unload that follows is not asked again.
  const state = useRef({ active, message, confirmed: false });
  useLayoutEffect(() => {
    state.current = { active, message, confirmed: false };
  }, [active, message]);
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (state.current.confirmed || !state.current.active) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers need it set to show the prompt
    };
    const leaves = (event: MouseEvent): boolean => {
      const target = event.target as Element | null;
      // A button that leaves the page (sign out): asked before it acts, not after.
      if (target?.closest?.("[data-leaves-page]")) return true;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
      const link = target?.closest?.("a[href]");
      if (!(link instanceof HTMLAnchorElement) || (link.target && link.target !== "_self") || link.hasAttribute("download")) return false;
      const url = new URL(link.href, window.location.href);
      // Another site unloads the page: beforeunload asks. A jump within the page loses nothing.
      if (url.origin !== window.location.origin) return false;
      return url.pathname !== window.location.pathname || url.search !== window.location.search;
    };
    const click = (event: MouseEvent) => {
      if (!state.current.active || event.defaultPrevented || event.button !== 0 || !leaves(event)) return;
      if (window.confirm(state.current.message)) {
        state.current.confirmed = true;
      } else {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", beforeUnload);
    window.addEventListener("click", click, true);
    return () => {
      window.removeEventListener("beforeunload", beforeUnload);
      window.removeEventListener("click", click, true);
    };
  }, []);
}
