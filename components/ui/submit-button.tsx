"use client";

import { useSyncExternalStore, type ComponentProps } from "react";

const subscribe = () => () => {};

/** false in the server's HTML and while it is being hydrated, true once React runs the page. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * A form's submit button, disabled until the page is hydrated: before that, a click would be
 * the browser's own form submission, which reloads the page and loses what was typed (our forms
 * are handled by script, not posted). Pressing Enter waits too: a disabled default button stops
 * implicit submission.
 */
export function SubmitButton({ disabled, ...props }: Omit<ComponentProps<"button">, "type">) {
  const hydrated = useHydrated();
  return <button {...props} type="submit" disabled={!hydrated || disabled} />;
}
