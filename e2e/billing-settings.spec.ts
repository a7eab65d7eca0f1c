import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createDb } from "../db/connect";
import { addMember } from "../db/queries/auth";
import { findOrCreatePerson } from "../lib/auth/persons";
import { createSession } from "../lib/auth/sessions";
import { json, keepScreenshot, newSession, signInBrowser, uniquePhone } from "./helpers";

// The billing settings page (issue 16): an owner changes the payment due day and keeps the key
// rates (add, change, remove); a viewer sees them and can change nothing. The API's rules are
// in tests/billing-settings.test.ts.

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

test("an owner changes the due day and adds, changes and removes a key rate, at 360 px", async ({ page, request, baseURL }) => {
  const owner = await newSession();
  await signInBrowser(page.context(), owner.token, baseURL!);
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto("/profile");
  await page.getByRole("link", { name: /^Настройки начислений/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Настройки начислений" })).toBeVisible();
  await noSidewaysScroll(page);
  await keepScreenshot(page, "billing-settings-360");
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // the due day
  const dueDay = page.getByLabel("Число следующего месяца");
  await expect(dueDay).toHaveValue("15");
  await dueDay.selectOption("10");
  await page.getByRole("button", { name: "Сохранить срок" }).click();
  await expect(page.getByText("Сохранено: оплата до 10-го числа.")).toBeVisible();
  const settings = await json(request, "GET", `/api/workspaces/${owner.workspaceId}/billing-settings`, owner.token);
  expect(settings.body).toEqual({ payment_due_day: 10, reading_window_from: 15, reading_window_to: 25 });

  // the days residents may send readings (issue 18): the first may not come after the last
  await page.getByLabel("С числа", { exact: true }).selectOption("26");
  await page.getByRole("button", { name: "Сохранить дни" }).click();
  await expect(page.getByText("Первый день (26) позже последнего (25).")).toBeVisible();
  await page.getByLabel("С числа", { exact: true }).selectOption("10");
  await page.getByLabel("По число (включительно)", { exact: true }).selectOption("20");
  await page.getByRole("button", { name: "Сохранить дни" }).click();
  await expect(page.getByText("Сохранено: показания принимаются с 10 по 20 число.")).toBeVisible();
  const window = await json(request, "GET", `/api/workspaces/${owner.workspaceId}/billing-settings`, owner.token);
  expect(window.body).toEqual({ payment_due_day: 10, reading_window_from: 10, reading_window_to: 20 });

  // a new rate: after 2026 the cap is gone, so penalties use it as it is
  const rates = page.getByRole("table", { name: "Ключевая ставка" });
  await page.getByLabel("Действует с").fill("2027-03-01");
  await page.getByLabel("Ставка, % годовых").fill("14,5");
  await page.getByRole("button", { name: "Сохранить ставку" }).click();
  await expect(page.getByText("Ставка 14,50 % с 01.03.2027 сохранена.")).toBeVisible();
  const added = rates.getByRole("row", { name: /01\.03\.2027/ });
  await expect(added).toContainText("14,50 %");
  await noSidewaysScroll(page);
  await keepScreenshot(page, "billing-settings-rate-added-360");

  // change it
  await page.getByRole("button", { name: "Изменить ставку с 01.03.2027" }).click();
  await expect(page.getByLabel("Ставка, % годовых")).toHaveValue("14,50");
  await page.getByLabel("Ставка, % годовых").fill("13");
  await page.getByRole("button", { name: "Сохранить ставку" }).click();
  await expect(added).toContainText("13,00 %");

  // a bad rate is refused in the page's words, and nothing is added
  await page.getByLabel("Действует с").fill("2027-06-01");
  await page.getByLabel("Ставка, % годовых").fill("120");
  await page.getByRole("button", { name: "Сохранить ставку" }).click();
  await expect(page.getByLabel("Ставка, % годовых")).toHaveAttribute("aria-invalid", "true");
  await expect(rates.getByRole("row", { name: /01\.06\.2027/ })).toHaveCount(0);

  // remove it
  await page.getByRole("button", { name: "Удалить ставку с 01.03.2027" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Удалить" }).click();
  await expect(page.getByText("Ставка с 01.03.2027 удалена.")).toBeVisible();
  await expect(rates.getByRole("row", { name: /01\.03\.2027/ })).toHaveCount(0);
  const list = await json(request, "GET", `/api/workspaces/${owner.workspaceId}/key-rates`, owner.token);
  expect(list.body.items.some((r: { valid_from: string }) => r.valid_from === "2027-03-01")).toBe(false);

  // the history has the three changes of the rate and the due day's
  const history = await json(request, "GET", `/api/history?workspace_id=${owner.workspaceId}`, owner.token);
  const entries = (history.body.items as { entity: string; action: string }[]).map((e) => `${e.entity}:${e.action}`);
  expect(entries.filter((e) => e.startsWith("key_rate:"))).toEqual(["key_rate:delete", "key_rate:update", "key_rate:insert"]);
  expect(entries).toContain("workspace:update");
});

test("a viewer sees the due day and the rates, with no control that changes them", async ({ page, baseURL }) => {
  const owner = await newSession();
  const handle = createDb(process.env.E2E_DATABASE_URL!, { max: 1 });
  let token: string;
  try {
    const { person } = await findOrCreatePerson(handle.db, uniquePhone());
    await addMember(handle.db, { workspaceId: owner.workspaceId, personId: person.id, role: "viewer", status: "active" });
    token = (await createSession(handle.db, person.id)).token;
  } finally {
    await handle.close();
  }
  await signInBrowser(page.context(), token, baseURL!);
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/workspaces/${owner.workspaceId}/billing-settings`);
  await expect(page.getByText("Оплата до 15-го числа следующего месяца.")).toBeVisible();
  await expect(page.getByText("Жители передают показания с 15 по 25 число месяца.")).toBeVisible();
  await expect(page.getByTestId("role-note")).toContainText("наблюдатель");
  await expect(page.getByRole("table", { name: "Ключевая ставка" }).getByRole("row", { name: /27\.10\.2025/ })).toContainText("16,50 %");
  await expect(page.getByRole("button", { name: /Сохранить|Изменить|Удалить/ })).toHaveCount(0);
  await expect(page.getByLabel("Число следующего месяца")).toHaveCount(0);
  await noSidewaysScroll(page);
  await keepScreenshot(page, "billing-settings-viewer-360");
});
