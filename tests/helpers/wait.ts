import { vi } from "vitest";

/**
 * Waits until `probe` gives a truthy value (vi.waitUntil) and returns it; on timeout the error
 * says what was awaited and, with `diagnose`, what the workers last printed.
 */
export async function until<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeout = 20_000,
  diagnose?: () => string,
): Promise<NonNullable<T>> {
  try {
    return (await vi.waitUntil(probe, { timeout, interval: 25 })) as NonNullable<T>;
  } catch (error) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}${diagnose ? `\n${diagnose()}` : ""}`, { cause: error });
  }
}
