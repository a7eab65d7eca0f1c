import type { Page } from "@playwright/test";

let counter = 0;
/** Addresses unique to this run, so that specs never depend on each other's data. */
export const uniqueAddress = (label: string) => `${label} ${Date.now().toString(36)}-${++counter}`;

/** Key screens are kept as artifacts under test-results/screens/. */
export async function keepScreenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}
