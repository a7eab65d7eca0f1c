import { expect, test } from "@playwright/test";
import { keepScreenshot } from "./helpers";

// The API reference: public, generated from the same document as /api/openapi.json.

test("the API reference lists every operation of /api/openapi.json, without signing in", async ({ page, request }) => {
  const response = await request.get("/api/openapi.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["x-request-id"]).toBeTruthy();
  const document = await response.json();
  expect(document.openapi).toBe("3.1.0");
  const operations = Object.values(document.paths as Record<string, Record<string, { operationId: string; summary: string }>>).flatMap(
    (m) => Object.values(m),
  );
  expect(operations.length).toBeGreaterThan(30);

  await page.goto("/api/docs");
  await expect(page).toHaveURL(/\/api\/docs$/);
  await expect(page.getByRole("heading", { level: 1, name: /Kvartplata API/ })).toBeVisible();
  for (const tag of ["Houses", "Readings", "Billing", "Accounts", "System"]) {
    await expect(page.getByRole("heading", { level: 2, name: tag })).toBeVisible();
  }
  for (const operation of operations) {
    await expect(
      page.getByRole("region", { name: new RegExp(operation.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).first(),
    ).toBeAttached();
  }
  const putReading = page.locator("#putReading");
  await expect(putReading).toContainText("/api/meters/{id}/readings/{period}");
  await expect(putReading.getByRole("table", { name: "Request body" })).toContainText("value");
  await expect(putReading).toContainText("at most 3 decimal places");
  // An invoice line's details take one of two shapes (meters or area): both are described.
  const invoices = page.locator("#listHouseInvoices");
  await expect(invoices).toContainText("items[].lines[].details.meters[].consumption");
  await expect(invoices).toContainText("items[].lines[].details.area");
  await keepScreenshot(page, "api-docs");
  await page.screenshot({ path: "test-results/screens/api-docs-top.png" });
  await putReading.scrollIntoViewIfNeeded();
  await putReading.screenshot({ path: "test-results/screens/api-docs-put-reading.png" });

  await page.getByRole("link", { name: "/api/openapi.json" }).click();
  await expect(page).toHaveURL(/\/api\/openapi\.json$/);
});
