import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { addMonths, currentMonth } from "../lib/months";
import { json, keepScreenshot, newSession, signInBrowser, uniqueAddress } from "./helpers";

// The billing page against the production build and its worker: a seeded house is billed from
// the page, the bar reaches 100%, the invoices equal the amounts worked out by hand below, an
// invoice explains its lines, a re-run asks first, and the CSV holds the same figures.

const NOW = currentMonth("Europe/Moscow"); // the server's APP_TIMEZONE default
const MONTH = addMonths(NOW, -1); // the page's default: the previous month
const BEFORE = addMonths(MONTH, -1);

const monthName = (m: string) =>
  new Intl.DateTimeFormat("ru-RU", { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${m}-15T00:00:00Z`));

let token: string;
test.beforeEach(async ({ context, baseURL }) => {
  token = (await newSession()).token;
  await signInBrowser(context, token, baseURL!);
});

async function post(request: APIRequestContext, url: string, data: unknown) {
  const res = await json(request, "POST", url, token, data);
  expect(res.status, `POST ${url} ${JSON.stringify(res.body)}`).toBe(201);
  return res.body as { id: number };
}

async function reading(request: APIRequestContext, meterId: number, period: string, value: string) {
  const res = await json(request, "PUT", `/api/meters/${meterId}/readings/${period}`, token, { value });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
}

/**
 * Prices (this person's workspace has no others): cold water 45.50 for every house but 47.12 for
 * this one, hot water 210.33, wastewater (a new workspace's fourth service: cold + hot as billed)
 * 30.90, maintenance 28.91, all from BEFORE.
 * - apt 1, 50.00 m²: cold 100.000 → 112.500 = 12.500 m³ × 47.12 = 589.00;
 *   hot 50.000 → 53.250 = 3.250 m³ × 210.33 = 683.5725 → 683.57;
 *   wastewater 15.750 m³ × 30.90 = 486.675 → 486.68; water 1 759.25;
 *   maintenance 50.00 × 28.91 = 1 445.50; total 3 204.75
 * - apt 2, 72.50 m²: cold 200.000 → 207.125 = 7.125 × 47.12 = 335.73; wastewater 7.125 × 30.90 =
 *   220.1625 → 220.16; water 555.89; maintenance 72.50 × 28.91 = 2 095.975 → 2 095.98 (half-up);
 *   total 2 651.87
 * - apt 3, 30.00 m², nobody registered: cold 10.000 in BEFORE, none this month: no average (one
 *   reading), so the normative × 0 persons = 0 m³ (Правила № 354, п. 59, 60; flagged), wastewater
 *   0; maintenance 30.00 × 28.91 = 867.30; total 867.30
 * - house: water 2 315.14, maintenance 4 408.78, total 6 723.92
 */
async function seedHouse(request: APIRequestContext) {
  const address = uniqueAddress('ул. Ленина; д. 5 "Б"');
  const house = await post(request, "/api/houses", { address });
  await post(request, "/api/tariffs", { service: "cold_water", price: "45.50", valid_from: BEFORE });
  await post(request, "/api/tariffs", { service: "hot_water", price: "210.33", valid_from: BEFORE });
  await post(request, "/api/tariffs", { service: "wastewater", price: "30.90", valid_from: BEFORE });
  await post(request, "/api/tariffs", { service: "maintenance", price: "28.91", valid_from: BEFORE });
  await post(request, "/api/tariffs", { service: "cold_water", price: "47.12", valid_from: BEFORE, house_id: house.id });

  const one = await post(request, `/api/houses/${house.id}/apartments`, { number: "1", area: "50.00" });
  const cold1 = await post(request, `/api/apartments/${one.id}/meters`, { serial_number: 'ХВ;1 "кухня"', service: "cold_water" });
  const hot1 = await post(request, `/api/apartments/${one.id}/meters`, { serial_number: "ГВ-1", service: "hot_water" });
  await reading(request, cold1.id, BEFORE, "100.000");
  await reading(request, cold1.id, MONTH, "112.500");
  await reading(request, hot1.id, BEFORE, "50.000");
  await reading(request, hot1.id, MONTH, "53.250");

  const two = await post(request, `/api/houses/${house.id}/apartments`, { number: "2", area: "72.50" });
  const cold2 = await post(request, `/api/apartments/${two.id}/meters`, { serial_number: "ХВ-2", service: "cold_water" });
  await reading(request, cold2.id, BEFORE, "200.000");
  await reading(request, cold2.id, MONTH, "207.125");

  const three = await post(request, `/api/houses/${house.id}/apartments`, { number: "3", area: "30.00" });
  const cold3 = await post(request, `/api/apartments/${three.id}/meters`, { serial_number: "ХВ-3", service: "cold_water" });
  await reading(request, cold3.id, BEFORE, "10.000");

  return { id: house.id, address, cold3: cold3.id };
}

const invoiceRow = (page: Page, number: string) =>
  page.getByRole("row").filter({ has: page.getByRole("button", { name: `Кв. ${number}`, exact: true }) });

/** Water, maintenance, total and flags of an apartment's row ("1 234,50 ₽" with any spaces). */
async function expectInvoice(page: Page, number: string, amounts: [string, string, string], flags = "") {
  const cells = invoiceRow(page, number).getByRole("cell");
  await expect(cells.nth(0)).toHaveText(amounts[0]);
  await expect(cells.nth(1)).toHaveText(amounts[1]);
  await expect(cells.nth(2)).toHaveText(amounts[2]);
  await expect(cells.nth(3)).toHaveText(flags);
}

test("a manager bills a month, sees the hand-computed totals, reads why, re-runs and downloads the CSV", async ({ page, request }) => {
  const house = await seedHouse(request);

  await page.goto(`/houses/${house.id}/billing`);
  await expect(page.getByRole("heading", { level: 1, name: "Начисления" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Вы здесь" }).getByRole("link", { name: house.address })).toBeVisible();
  await expect(page.getByLabel("Месяц", { exact: true })).toHaveValue(MONTH);
  await expect(page.getByText("Счетов за этот месяц нет")).toBeVisible();
  // The check before the run: apartment 3's cold water has no reading and nobody registered, so
  // the normative × 0 persons; nothing blocks the run.
  const check = page.getByRole("region", { name: "Проверка перед расчётом" });
  await expect(check).toContainText("Показания есть у 3 из 4 счётчиков.");
  await expect(check).toContainText("Ничто не мешает расчёту.");
  await expect(check.getByRole("listitem")).toHaveText([
    /^Кв\. 3, Холодная вода, № ХВ-3\s*нет показаний\s*будет начислено по нормативу на 0 чел\.: 0,000\sм³/,
  ]);
  await keepScreenshot(page, "billing-empty-month");

  await page.getByRole("button", { name: "Рассчитать месяц" }).click();
  const bar = page.getByRole("progressbar", { name: "Ход расчёта" });
  await expect(bar).toHaveAttribute("aria-valuemin", "0");
  await expect(bar).toHaveAttribute("aria-valuemax", "100");
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  await expect(page.getByText("Обработано 3 из 3")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Готово" })).toBeVisible();

  await expectInvoice(page, "1", ["1 759,25 ₽", "1 445,50 ₽", "3 204,75 ₽"]);
  await expectInvoice(page, "2", ["555,89 ₽", "2 095,98 ₽", "2 651,87 ₽"]);
  await expectInvoice(page, "3", ["0,00 ₽", "867,30 ₽", "867,30 ₽"], "по нормативу");
  await expect(invoiceRow(page, "3")).toHaveAttribute("data-flagged", "true");
  const totals = page.getByRole("row", { name: /Итого по дому/ });
  await expect(totals.getByRole("rowheader")).toHaveText("Итого по дому (3 счёта)");
  await expect(totals.getByRole("cell").nth(0)).toHaveText("2 315,14 ₽");
  await expect(totals.getByRole("cell").nth(1)).toHaveText("4 408,78 ₽");
  await expect(totals.getByRole("cell").nth(2)).toHaveText("6 723,92 ₽");
  await keepScreenshot(page, "billing-completed");

  // Why apartment 1 owes what it owes.
  const toggle = page.getByRole("button", { name: "Кв. 1", exact: true });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const panel = page.locator(`#${await toggle.getAttribute("aria-controls")}`);
  const cold = panel.getByRole("article", { name: "Холодная вода" });
  await expect(cold.getByTestId("line-formula")).toHaveText("12,500 м³ × 47,12 ₽/м³ = 589,00 ₽");
  await expect(cold).toContainText("47,12 ₽ за м³ (цена дома)");
  const meter = cold.getByRole("row", { name: /ХВ;1 "кухня"/ });
  await expect(meter.getByRole("cell").nth(0)).toContainText("100,000 м³");
  await expect(meter.getByRole("cell").nth(1)).toContainText("112,500 м³");
  await expect(meter.getByRole("cell").nth(2)).toHaveText("12,500 м³");
  const hot = panel.getByRole("article", { name: "Горячая вода" });
  await expect(hot.getByTestId("line-formula")).toHaveText("3,250 м³ × 210,33 ₽/м³ = 683,57 ₽");
  await expect(hot).toContainText("(цена по фонду)");
  const wastewater = panel.getByRole("article", { name: "Водоотведение" });
  await expect(wastewater.getByTestId("line-formula")).toHaveText("15,750 м³ × 30,90 ₽/м³ = 486,68 ₽");
  await expect(wastewater.getByRole("row", { name: /ГВ-1/ }).getByRole("cell").nth(2)).toHaveText("3,250 м³");
  const maintenance = panel.getByRole("article", { name: "Содержание жилья" });
  await expect(maintenance.getByTestId("line-formula")).toHaveText("50,00 м² × 28,91 ₽/м² = 1 445,50 ₽");

  // And why apartment 3's water is zero: estimated by the normative, and nobody is registered.
  await page.getByRole("button", { name: "Кв. 3", exact: true }).click();
  const silent = page.getByRole("article", { name: "Холодная вода" }).filter({ hasText: "ХВ-3" });
  await expect(silent.getByRole("row", { name: /ХВ-3/ }).getByRole("cell").nth(1)).toHaveText("нет");
  await expect(silent).toContainText("по нормативу");
  await expect(silent.getByTestId("meter-explain")).toHaveText(["никто не зарегистрирован: 0 м³", "1-й месяц без показаний"]);
  await keepScreenshot(page, "billing-invoice-explained");

  // The missing reading arrives; the month is billed again, after a question.
  await reading(request, house.cold3, MONTH, "14.000");
  await page.getByRole("button", { name: "Пересчитать месяц" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Месяц будет пересчитан");
  await expect(dialog).toContainText("уже выставлено 3 счёта");
  await keepScreenshot(page, "billing-rerun-confirm");
  await dialog.getByRole("button", { name: "Отмена" }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole("button", { name: "Пересчитать месяц" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Пересчитать", exact: true }).click();
  // apt 3: cold 4.000 m³ × 47.12 = 188.48, wastewater 4.000 × 30.90 = 123.60: water 312.08;
  // total 312.08 + 867.30 = 1 179.38; house 3 204.75 + 2 651.87 + 1 179.38 = 7 036.00
  await expectInvoice(page, "3", ["312,08 ₽", "867,30 ₽", "1 179,38 ₽"]);
  await expect(totals.getByRole("cell").nth(2)).toHaveText("7 036,00 ₽");
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByText("Обработано 3 из 3")).toBeVisible();
  await keepScreenshot(page, "billing-recalculated");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Скачать CSV" }).click()]);
  expect(download.suggestedFilename()).toBe(`invoices-${house.id}-${MONTH}.csv`);
  const csv = readFileSync(await download.path(), "utf8");
  expect(csv.startsWith("\uFEFF")).toBe(true);
  const rows = csv.slice(1).split("\r\n");
  const address = `"${house.address.replace(/"/g, '""')}"`;
  expect(rows[0]).toBe(
    "Адрес дома;Месяц;Квартира;Услуга;Количество;Ед. изм.;Цена за ед., ₽;Сумма, ₽;Тариф с;Тариф;Отметки;Счётчики: показания и расход;" +
      "Холодная вода, ₽;Горячая вода, ₽;Водоотведение, ₽;Содержание жилья, ₽",
  );
  const cold1 = `"ХВ;1 ""кухня"": ${BEFORE} 100,000 → ${MONTH} 112,500 = 12,500`;
  const hot1 = `ГВ-1: ${BEFORE} 50,000 → ${MONTH} 53,250 = 3,250`;
  const cold2 = `ХВ-2: ${BEFORE} 200,000 → ${MONTH} 207,125 = 7,125`;
  const cold3 = `ХВ-3: ${BEFORE} 10,000 → ${MONTH} 14,000 = 4,000`;
  expect(rows.slice(1)).toEqual([
    `${address};${MONTH};1;Холодная вода;12,500;м³;47,1200;589,00;${BEFORE};цена дома;;${cold1}";589,00;;;`,
    `${address};${MONTH};1;Горячая вода;3,250;м³;210,3300;683,57;${BEFORE};цена по фонду;;${hot1};;683,57;;`,
    `${address};${MONTH};1;Водоотведение;15,750;м³;30,9000;486,68;${BEFORE};цена по фонду;;${cold1}, ${hot1}";;;486,68;`,
    `${address};${MONTH};1;Содержание жилья;50,00;м²;28,9100;1445,50;${BEFORE};цена по фонду;;;;;;1445,50`,
    `${address};${MONTH};2;Холодная вода;7,125;м³;47,1200;335,73;${BEFORE};цена дома;;${cold2};335,73;;;`,
    `${address};${MONTH};2;Водоотведение;7,125;м³;30,9000;220,16;${BEFORE};цена по фонду;;${cold2};;;220,16;`,
    `${address};${MONTH};2;Содержание жилья;72,50;м²;28,9100;2095,98;${BEFORE};цена по фонду;;;;;;2095,98`,
    `${address};${MONTH};3;Холодная вода;4,000;м³;47,1200;188,48;${BEFORE};цена дома;;${cold3};188,48;;;`,
    `${address};${MONTH};3;Водоотведение;4,000;м³;30,9000;123,60;${BEFORE};цена по фонду;;${cold3};;;123,60;`,
    `${address};${MONTH};3;Содержание жилья;30,00;м²;28,9100;867,30;${BEFORE};цена по фонду;;;;;;867,30`,
    "",
  ]);
});

test("a run that cannot price the month fails and says why", async ({ page, request }) => {
  // No maintenance price anywhere in this workspace: the run fails before any invoice.
  const house = (await post(request, "/api/houses", { address: uniqueAddress("ул. Бесценная, д. 1") })) as { id: number; address: string };
  await post(request, `/api/houses/${house.id}/apartments`, { number: "1", area: "40.00" });

  await page.goto(`/houses/${house.id}/billing?period=${BEFORE}`);
  await expect(page.getByLabel("Месяц", { exact: true })).toHaveValue(BEFORE);
  await page.getByRole("button", { name: "Рассчитать месяц" }).click();

  await expect(page.getByRole("status").filter({ hasText: "Расчёт не удался" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText(
    `Нет цены на содержание жилья для дома «${house.address}» за ${monthName(BEFORE)}. Добавьте тариф и запустите расчёт снова.`,
  );
  await expect(page.getByText("Счетов за этот месяц нет")).toBeVisible();
  await keepScreenshot(page, "billing-failed-run");

  // After a reload the month's last run still tells its reason.
  await page.reload();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Нет цены на содержание жилья");
});

test("the month's invoices come in the server's HTML: a search typed before the scripts run is kept, an opened row loads its lines", async ({
  page,
  request,
}) => {
  const house = await seedHouse(request);
  const started = await json(request, "POST", `/api/houses/${house.id}/billing-runs`, token, { period: MONTH });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await expect
    .poll(async () => (await json(request, "GET", `/api/billing-runs/${started.body.id}`, token)).body.status, { timeout: 30_000 })
    .toBe("completed");

  // The list is drawn by the server (not fetched after hydration), without the invoices' lines.
  const html = await (await page.request.get(`/houses/${house.id}/billing?period=${MONTH}`)).text();
  expect(html).toContain('id="invoice-search"');
  for (const number of ["1", "2", "3"]) expect(html).toMatch(new RegExp(`aria-expanded="false"[^>]*>.*?Кв\\. ${number}<`));
  expect(html).not.toContain("line-formula");

  // The page's scripts are held back: the server's HTML is all there is while the search is typed.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`/houses/${house.id}/billing?period=${MONTH}`, { waitUntil: "commit" });
  const search = page.getByRole("searchbox", { name: "Найти квартиру" });
  await expect(search).toBeVisible();
  await expect(invoiceRow(page, "1")).toBeVisible();
  await search.fill("2");
  release();
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  await expect(search).toHaveValue("2");
  await expect(invoiceRow(page, "2")).toBeVisible();
  await expect(invoiceRow(page, "1")).toHaveCount(0);
  await expectInvoice(page, "2", ["555,89 ₽", "2 095,98 ₽", "2 651,87 ₽"]);

  // The lines of the row opened come from its apartment's invoices.
  await page.getByRole("button", { name: "Кв. 2", exact: true }).click();
  const cold = page.getByRole("article", { name: "Холодная вода" });
  await expect(cold.getByTestId("line-formula")).toHaveText("7,125 м³ × 47,12 ₽/м³ = 335,73 ₽");
});
