import { expect, test } from "@playwright/test";
import { keepScreenshot } from "./helpers";

// The API reference: public, rendered from the same document as /api/openapi.json, and
// entirely served by the app — an installation without internet shows it all the same.

interface DescribedOperation {
  path: string;
  method: string;
  operationId: string;
  summary: string;
  tags: string[];
}

test("the API reference shows every operation of /api/openapi.json, without signing in or leaving the app", async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const response = await request.get("/api/openapi.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["x-request-id"]).toBeTruthy();
  const document = await response.json();
  expect(document.openapi).toBe("3.1.0");
  const operations: DescribedOperation[] = Object.entries(
    document.paths as Record<string, Record<string, Omit<DescribedOperation, "path" | "method">>>,
  ).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, ...operation })));
  expect(operations.length).toBeGreaterThan(30);

  // Every request the page makes must go to the app: anything else is recorded, and refused so
  // that the test machine's own connectivity cannot hide it.
  const app = new URL(baseURL!);
  const elsewhere: string[] = [];
  const leaves = (url: string) => /^(https?|wss?):/.test(url) && new URL(url).host !== app.host;
  page.on("request", (r) => leaves(r.url()) && elsewhere.push(r.url()));
  page.on("websocket", (ws) => leaves(ws.url()) && elsewhere.push(ws.url()));
  await page.route(
    (url) => leaves(url.href),
    (route) => route.abort(),
  );
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));

  await page.goto("/api/docs");
  await expect(page).toHaveURL(/\/api\/docs$/);
  // Swagger UI loads, parses and resolves the whole document in the browser: seconds on a busy machine.
  await expect(page.getByRole("heading", { name: /Kvartplata API/ })).toBeVisible({ timeout: 60_000 });
  for (const tag of ["Houses", "Readings", "Billing", "Accounts", "System"]) {
    await expect(page.getByRole("heading", { name: tag, exact: true })).toBeVisible();
  }
  // Each operation is listed under its tag, with its method, path and summary.
  for (const operation of operations) {
    // Swagger UI writes a tag's spaces as underscores in its ids ("Billing settings" → Billing_settings)
    const block = page.locator(`[id="operations-${operation.tags[0].replaceAll(" ", "_")}-${operation.operationId}"]`);
    await expect(block, operation.operationId).toBeAttached();
    await expect(block.locator(".opblock-summary-method"), operation.operationId).toHaveText(operation.method.toUpperCase());
    await expect(block.locator(".opblock-summary-path"), operation.operationId).toHaveAttribute("data-path", operation.path);
  }
  for (const summary of ["List houses", "Set a month's reading", "Bill a house for a month", "Health of the installation"]) {
    await expect(page.getByText(summary, { exact: true })).toBeVisible();
  }
  await keepScreenshot(page, "api-docs");

  // An operation opens to its parameters, body fields with their rules, and answers.
  const putReading = page.locator('[id="operations-Readings-putReading"]');
  await putReading.getByRole("button", { name: /Set a month's reading/ }).click();
  await expect(putReading.locator(".parameters")).toContainText("period");
  const requestBody = putReading.locator(".opblock-section-request-body");
  await requestBody.getByRole("tab", { name: "Schema" }).click();
  await requestBody.getByRole("button", { name: "Expand all" }).first().click();
  await expect(requestBody).toContainText("at most 3 decimal places");
  await expect(putReading.locator(".responses-table").first()).toContainText("reading_out_of_order");
  await putReading.scrollIntoViewIfNeeded();
  await putReading.screenshot({ path: "test-results/screens/api-docs-put-reading.png" });

  expect(pageErrors).toEqual([]);
  expect(elsewhere).toEqual([]);

  await page.getByRole("link", { name: "/api/openapi.json" }).first().click();
  await expect(page).toHaveURL(/\/api\/openapi\.json$/);
});
