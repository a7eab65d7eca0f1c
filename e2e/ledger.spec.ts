import { expect, test, type Page } from "@playwright/test";
import { createDb } from "../db/connect";
import { addMember } from "../db/queries/auth";
import { findOrCreatePerson } from "../lib/auth/persons";
import { createSession } from "../lib/auth/sessions";
import { addMonths, currentMonth } from "../lib/months";
import { bill, json, keepScreenshot, newSession, post, signInBrowser, uniqueAddress, uniquePhone, withoutWastewater } from "./helpers";

// The apartment's account, a house's debtors and the payments (issue 16), in Russian: a manager
// sees the house's debt, opens its debtors, records a payment on an account and sees the balance
// fall, reverses it with a reason, sets an opening balance, records one by account number on the
// payments page; a viewer sees the same figures and no form. At 360 px and on a desktop.

const NOW = currentMonth("Europe/Moscow");
// posted two months back: its charge is due in the month before this one
const MONTH = addMonths(NOW, -2);

/** Apartment 1 (50 m²) and 2 (40 m²) at 30 ₽/m² maintenance: charged 1 500,00 and 1 200,00 ₽. */
async function seed(request: Parameters<typeof post>[0], token: string) {
  await withoutWastewater(request, token);
  const address = uniqueAddress("ул. Платёжная, д. 7");
  const house = await post(request, token, "/api/houses", { address });
  await post(request, token, "/api/tariffs", { service: "maintenance", price: "30", valid_from: MONTH });
  const one = await post(request, token, `/api/houses/${house.id}/apartments`, { number: "1", area: "50" });
  const two = await post(request, token, `/api/houses/${house.id}/apartments`, { number: "2", area: "40" });
  await bill(request, token, house.id, MONTH);
  const posted = await json(request, "POST", `/api/houses/${house.id}/months/${MONTH}/post`, token);
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  const account = await json(request, "GET", `/api/apartments/${two.id}/account`, token);
  return {
    houseId: house.id as number,
    address,
    one: one.id as number,
    two: two.id as number,
    twoAccount: account.body.apartment.account_number as string,
  };
}

/** The page does not scroll sideways. */
async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

const balance = (page: Page) => page.getByTestId("balance");

test("a manager sees the house's debt and its debtors, records and reverses a payment, sets an opening balance", async ({
  page,
  request,
  context,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const { token } = await newSession();
  await signInBrowser(context, token, baseURL!);
  const seeded = await seed(request, token);

  // the house page: its total debt and how many owe
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(`/houses/${seeded.houseId}`);
  await expect(page.getByTestId("house-total-debt")).toHaveText("2 700,00 ₽");
  await expect(page.getByRole("region", { name: "Оплаты и долги" })).toContainText("Квартир с долгом2");
  await keepScreenshot(page, "ledger-house-desktop");
  await page.getByRole("link", { name: "Должники" }).click();

  // the debtors, the largest debt first
  await expect(page.getByRole("heading", { level: 1, name: "Должники" })).toBeVisible();
  const rows = page.getByRole("region", { name: "Квартиры с долгом, начиная с наибольшего" }).getByRole("row");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText("№ 1");
  await expect(rows.nth(1)).toContainText("1 500,00 ₽");
  await expect(rows.nth(2)).toContainText("1 200,00 ₽");
  await keepScreenshot(page, "ledger-debtors-desktop");
  await page.getByRole("link", { name: "№ 1" }).click();

  // the account: charged, owed; a payment lowers the balance
  await expect(page.getByRole("heading", { level: 1, name: "Лицевой счёт квартиры 1" })).toBeVisible();
  await expect(balance(page)).toHaveText("1 500,00 ₽");
  const months = page.getByRole("region", { name: "По месяцам" });
  await expect(months.getByRole("row")).toHaveCount(2);
  await page.getByLabel("Сумма, ₽").first().fill("1000");
  await page.getByLabel("Плательщик").fill("Иванов И. И.");
  await page.getByRole("button", { name: "Внести оплату" }).click();
  await expect(page.getByText("Оплата внесена.")).toBeVisible();
  await expect(balance(page)).toHaveText("500,00 ₽");
  const entries = page.getByRole("list", { name: "Операции" }).getByRole("listitem");
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText("Оплата");
  await expect(entries.first()).toContainText("плательщик: Иванов И. И.");

  // a date to come is refused, in the page's words
  await page.getByLabel("Дата оплаты").fill("2999-01-01");
  await page.getByLabel("Сумма, ₽").first().fill("5");
  await page.getByRole("button", { name: "Внести оплату" }).click();
  await expect(page.getByText("Дата ещё не наступила.")).toBeVisible();
  await expect(balance(page)).toHaveText("500,00 ₽");

  // reversed with a reason: the payment stays, struck through, and pays nothing
  await page.getByRole("button", { name: "Сторнировать оплату 1 000,00 ₽" }).click();
  await page.getByLabel("Причина сторнирования").fill("Оплата другой квартиры");
  await page.getByRole("button", { name: "Сторнировать оплату", exact: true }).click();
  await expect(balance(page)).toHaveText("1 500,00 ₽");
  await expect(entries).toHaveCount(3);
  await expect(page.getByText(/Сторнирован .*: Оплата другой квартиры/)).toBeVisible();
  await expect(page.getByRole("button", { name: /Сторнировать оплату/ })).toHaveCount(0);

  // an opening balance: a debt from before
  await page.locator("summary", { hasText: "Входящее сальдо" }).click();
  await page.getByLabel("Сумма, ₽").nth(1).fill("300");
  await page.getByRole("button", { name: "Сохранить сальдо" }).click();
  await expect(page.getByText("Входящее сальдо сохранено.")).toBeVisible();
  await expect(balance(page)).toHaveText("1 800,00 ₽");
  await expect(months.getByRole("row")).toHaveCount(3);
  await keepScreenshot(page, "ledger-account-desktop");

  await page.setViewportSize({ width: 360, height: 780 });
  await page.reload();
  await expect(balance(page)).toHaveText("1 800,00 ₽");
  await noSidewaysScroll(page);
  await keepScreenshot(page, "ledger-account-360");

  // the payments: the reversed one listed struck; one recorded by account number
  await page.getByRole("button", { name: "Меню" }).click();
  await page.getByRole("link", { name: "Оплаты" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Оплаты" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Загрузить файл банка" })).toHaveAttribute("href", "/payments/import");
  const payments = page.getByRole("region", { name: "Оплаты" }).getByRole("row");
  await expect(payments).toHaveCount(2);
  await expect(payments.nth(1)).toContainText("сторнирована");
  await page.locator("summary", { hasText: "Внести оплату по лицевому счёту" }).click();
  await page.getByLabel("Номер лицевого счёта").fill(seeded.twoAccount);
  await page.getByLabel("Сумма, ₽").fill("200,50");
  await page.getByRole("button", { name: "Внести оплату" }).click();
  await expect(page.getByText("Оплата внесена.")).toBeVisible();
  await expect(payments).toHaveCount(3);
  await expect(payments.nth(1)).toContainText("200,50 ₽");
  await expect(payments.nth(1)).toContainText(`№ 2 · ${seeded.twoAccount}`);
  await page.getByLabel("Номер лицевого счёта").fill("нет-такого");
  await page.getByLabel("Сумма, ₽").fill("1");
  await page.getByRole("button", { name: "Внести оплату" }).click();
  await expect(page.getByText("Нет квартиры с таким лицевым счётом.")).toBeVisible();
  await page.getByLabel("Источник").selectOption({ label: "API" });
  await expect(page.getByText("Подходящих оплат нет.")).toBeVisible();
  await page.getByRole("button", { name: "Сбросить фильтры" }).click();
  await expect(payments).toHaveCount(3);
  await noSidewaysScroll(page);
  await keepScreenshot(page, "ledger-payments-360");

  await page.goto(`/houses/${seeded.houseId}`);
  await expect(page.getByTestId("house-total-debt")).toHaveText("2 799,50 ₽");
  await noSidewaysScroll(page);
  await keepScreenshot(page, "ledger-house-360");

  await page.goto(`/houses/${seeded.houseId}/debtors`);
  await expect(page.getByRole("heading", { level: 1, name: "Должники" })).toBeVisible();
  // 1 800,00 + 1 200,00 − 200,50
  await expect(page.getByText("2 799,50 ₽").first()).toBeVisible();
  await noSidewaysScroll(page);
  await keepScreenshot(page, "ledger-debtors-360");

  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto("/payments");
  await expect(payments).toHaveCount(3);
  await keepScreenshot(page, "ledger-payments-desktop");
});

test("a viewer sees the account, the debtors and the payments, and no form", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  const owner = await newSession();
  const seeded = await seed(request, owner.token);
  await post(request, owner.token, "/api/payments", { apartment_id: seeded.one, paid_on: `${addMonths(NOW, -1)}-10`, amount: "700" });

  const handle = createDb(process.env.E2E_DATABASE_URL!, { max: 1 });
  let viewerToken: string;
  try {
    const { person } = await findOrCreatePerson(handle.db, uniquePhone());
    await addMember(handle.db, { workspaceId: owner.workspaceId, personId: person.id, role: "viewer", status: "active" });
    viewerToken = (await createSession(handle.db, person.id)).token;
  } finally {
    await handle.close();
  }
  const context = await browser.newContext({ locale: "ru-RU" });
  await signInBrowser(context, viewerToken, baseURL!);
  const page = await context.newPage();

  await page.goto(`/houses/${seeded.houseId}`);
  await expect(page.getByTestId("house-total-debt")).toHaveText("2 000,00 ₽");
  await page.goto(`/apartments/${seeded.one}`);
  await page.getByRole("link", { name: "Лицевой счёт и оплаты" }).click();
  await expect(balance(page)).toHaveText("800,00 ₽");
  await expect(page.getByRole("note")).toContainText("наблюдатель");
  await expect(page.getByRole("button", { name: /Внести оплату|Сторнировать|Сохранить сальдо/ })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Операции" }).getByRole("listitem")).toHaveCount(2);
  await keepScreenshot(page, "ledger-account-viewer");

  await page.goto("/payments");
  await expect(page.getByRole("heading", { level: 1, name: "Оплаты" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Оплаты" }).getByRole("row")).toHaveCount(2);
  // the form is there for the workspace of their own (sign-up made them its owner), and only for it:
  // the owner's account number is not found there
  await page.locator("summary", { hasText: "Внести оплату по лицевому счёту" }).click();
  await page.getByLabel("Номер лицевого счёта").fill(seeded.twoAccount);
  await page.getByLabel("Сумма, ₽").fill("1");
  await page.getByRole("button", { name: "Внести оплату" }).click();
  await expect(page.getByText("Нет квартиры с таким лицевым счётом.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Оплаты" }).getByRole("row")).toHaveCount(2);
  await keepScreenshot(page, "ledger-payments-viewer");
  await context.close();
});
