import { expect, test } from "@playwright/test";
import { json, keepScreenshot, newSession, post, signInBrowser, uniqueAddress } from "./helpers";

// The history pages on a phone (360 px): the workspace's changes with who, what and the values
// before → after, filtered and paged; an apartment's own history from its page.

let token: string;
let phone: string;
test.beforeEach(async ({ context, baseURL }) => {
  ({ token, phone } = await newSession());
  await signInBrowser(context, token, baseURL!);
});

test("a manager reads who changed what at 360 px: filters, older entries, an apartment's history", async ({ page, request }) => {
  const address = uniqueAddress("ул. Историческая, д. 1");
  const house = await post(request, token, "/api/houses", { address });
  const flat = await post(request, token, `/api/houses/${house.id}/apartments`, { number: "1", area: "45.5" });
  const meter = await post(request, token, `/api/apartments/${flat.id}/meters`, { serial_number: "ИСТ-1", service: "cold_water" });
  for (const value of ["12.345", "13"]) {
    expect((await json(request, "PUT", `/api/meters/${meter.id}/readings/2024-03`, token, { value })).status).toBeLessThan(300);
  }
  expect((await json(request, "PATCH", `/api/apartments/${flat.id}`, token, { area: "50" })).status).toBe(200);
  // 50 more changes: the first page (50 entries) ends before the apartment's creation.
  for (let i = 0; i < 50; i++) {
    expect((await json(request, "PATCH", `/api/houses/${house.id}`, token, { address: `${address} (${i})` })).status).toBe(200);
  }

  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto("/houses");
  await page.getByRole("button", { name: "Меню" }).click();
  await page.getByRole("link", { name: "История" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "История" })).toBeVisible();
  const entries = page.getByRole("list", { name: "История" }).getByRole("listitem");
  await expect(entries).toHaveCount(50);
  await expect(entries.first()).toContainText(phone);
  await expect(entries.first()).toContainText(`${address} (48) → ${address} (49)`);
  await page.getByRole("button", { name: "Показать более ранние" }).click();
  // 56 of this test and the ones of the person's sign-up (their workspace and its services: "Система")
  await expect.poll(() => entries.count()).toBeGreaterThan(56);
  await expect(entries.last()).toContainText("Система");
  await expect(entries.filter({ hasText: /Квартира №\s1 — изменение/ })).toContainText("площадь, м²45,50 → 50,00");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await keepScreenshot(page, "history-360");

  await page.getByLabel("Что").selectOption({ label: "Показания" });
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText("Показание март 2024");
  await expect(entries.first()).toContainText("12,345 → 13,000");
  await page.getByLabel("Кто").selectOption({ label: phone });
  await expect(entries).toHaveCount(2);
  await page.getByLabel("С", { exact: true }).fill("2999-01-01");
  await expect(page.getByText("Подходящих изменений нет.")).toBeVisible();
  await page.getByRole("button", { name: "Сбросить фильтры" }).click();
  await expect.poll(() => entries.count()).toBeGreaterThan(56);

  await page.goto(`/apartments/${flat.id}`);
  await page.getByRole("link", { name: "История изменений" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "История квартиры 1" })).toBeVisible();
  await expect(entries).toHaveCount(5);
  await expect(entries.nth(0)).toContainText(/Квартира №\s1 — изменение/);
  await expect(entries.nth(1)).toContainText("12,345 → 13,000");
  await expect(entries.nth(3)).toContainText("Счётчик ИСТ-1 — создание");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await keepScreenshot(page, "apartment-history-360");
});
