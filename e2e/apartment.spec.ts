import { expect, test, type APIRequestContext } from "@playwright/test";
import { addMonths, currentMonth } from "../lib/months";
import {
  keepScreenshot,
  signedInWithoutHydrationErrors,
  uniqueAddress,
  bill as billAs,
  post as postAs,
  withoutWastewater,
} from "./helpers";

let token: string;
signedInWithoutHydrationErrors((t) => (token = t));

const post = (request: APIRequestContext, url: string, data: unknown) => postAs(request, token, url, data);
const bill = (request: APIRequestContext, houseId: number, period: string) => billAs(request, token, houseId, period);

const monthName = (m: string) =>
  new Intl.DateTimeFormat("ru-RU", { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${m}-15T00:00:00Z`));
/** "1 августа 2026 г." */
const firstDay = (m: string) =>
  new Intl.DateTimeFormat("ru-RU", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${m}-01T12:00:00Z`),
  );

test("the apartment page shows its meters, readings history, a consumption chart and invoices with their lines", async ({
  page,
  request,
}) => {
  const now = currentMonth("Europe/Moscow");
  const [m3, m2, m1] = [addMonths(now, -3), addMonths(now, -2), addMonths(now, -1)];
  const house = await post(request, "/api/houses", { address: uniqueAddress("ул. Речная, д. 9") });
  const flat = await post(request, `/api/houses/${house.id}/apartments`, { number: "7", area: "45.5" });
  const cold = await post(request, `/api/apartments/${flat.id}/meters`, {
    serial_number: "ХВ-7",
    service: "cold_water",
    installed_on: "2023-04-15",
  });
  const hot = await post(request, `/api/apartments/${flat.id}/meters`, { serial_number: "ГВ-7", service: "hot_water" });
  for (const [service, price] of [
    ["cold_water", "40"],
    ["hot_water", "200"],
    ["maintenance", "30"],
  ]) {
    await post(request, "/api/tariffs", { service, price, valid_from: m3, house_id: house.id });
  }
  for (const [period, coldValue, hotValue] of [
    [m3, "100", "50"],
    [m2, "102.25", "51.5"],
    [m1, "105", "52"],
  ]) {
    await post(request, `/api/houses/${house.id}/readings`, {
      period,
      readings: [
        { meter_id: cold.id, value: coldValue },
        { meter_id: hot.id, value: hotValue },
      ],
    });
  }
  await withoutWastewater(request, token);
  await bill(request, house.id, m2);
  await bill(request, house.id, m1);

  await page.goto(`/apartments/${flat.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Квартира 7" })).toBeVisible();
  await expect(page.getByText(/^Площадь: 45,50\sм²$/)).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Вы здесь" }).getByRole("link", { name: house.address })).toHaveAttribute(
    "href",
    `/houses/${house.id}`,
  );

  const meters = page.getByRole("region", { name: "Счётчики" });
  await expect(meters.getByRole("row", { name: /ХВ-7/ })).toContainText(`Холодная водаХВ-715.04.2023105,000 м³ (${monthName(m1)})`);
  await expect(meters.getByRole("row", { name: /ГВ-7/ })).toContainText(`Горячая водаГВ-7—52,000 м³ (${monthName(m1)})`);

  // Readings history: newest first, consumption since the month before.
  const coldHistory = page.getByRole("table", { name: "Холодная вода, № ХВ-7" });
  // Each reading says who entered it: this manager's session, by its phone. (A RegExp is matched
  // against the text as it is, non-breaking spaces included.)
  const byMe = (text: string) =>
    new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s/g, "\\s")}введено\\sсотрудником\\s·\\s\\+7\\d{10}$`);
  await expect(coldHistory.getByRole("row")).toHaveText([
    "МесяцПоказаниеРасходИсточник",
    byMe(`${monthName(m1)}105,000 м³2,750 м³`),
    byMe(`${monthName(m2)}102,250 м³2,250 м³`),
    byMe(`${monthName(m3)}100,000 м³начальное`),
  ]);
  await expect(page.getByRole("table", { name: "Горячая вода, № ГВ-7" }).getByRole("row").nth(1)).toHaveText(
    byMe(`${monthName(m1)}52,000 м³0,500 м³`),
  );

  // The chart: two months × two services.
  const chart = page.getByRole("figure", { name: /Расход воды по месяцам/ });
  await expect(chart.locator(".recharts-bar-rectangle")).toHaveCount(4);
  await expect(chart.locator(".recharts-legend-wrapper")).toContainText("Холодная вода");
  await expect(chart.locator(".recharts-legend-wrapper")).toContainText("Горячая вода");

  // Invoices, newest first; the newest opens with its lines.
  // m1: 2,75 m³ × 40 + 0,5 m³ × 200 + 45,5 m² × 30 = 110 + 100 + 1 365 = 1 575,00 ₽
  // m2: 2,25 m³ × 40 + 1,5 m³ × 200 + 1 365 = 90 + 300 + 1 365 = 1 755,00 ₽
  const invoices = page.getByRole("region", { name: "Счета" });
  await expect(invoices.getByRole("row", { name: new RegExp(`^${monthName(m1)}`) })).toContainText(/210,00\s₽1\s365,00\s₽1\s575,00\s₽/);
  await expect(invoices.getByRole("row", { name: new RegExp(`^${monthName(m2)}`) })).toContainText(/390,00\s₽1\s365,00\s₽1\s755,00\s₽/);
  // both months are drafts (not posted), up to date
  await expect(invoices.getByTestId("invoice-status")).toHaveText(["черновик", "черновик"]);

  const linesM1 = invoices.getByRole("table", { name: `Строки счёта за ${monthName(m1)}` });
  await expect(linesM1.getByRole("row", { name: /^Холодная вода/ })).toContainText(
    `2,750 м³40,00 ₽/м³110,00 ₽Счётчик № ХВ-7: 102,250 м³ (${monthName(m2)}) → 105,000 м³ (${monthName(m1)}) = 2,750 м³тариф дома с ${firstDay(m3)}`,
  );
  await expect(linesM1.getByRole("row", { name: /^Содержание жилья/ })).toContainText(
    /45,50\sм²30,00\s₽\/м²1\s365,00\s₽площадь квартиры 45,50\sм²/,
  );
  await expect(linesM1.getByRole("row", { name: /^Итого/ })).toContainText(/1\s575,00\s₽/);
  await keepScreenshot(page, "apartment");

  const showM2 = invoices.getByRole("button", { name: `Показать строки счёта за ${monthName(m2)}` });
  await expect(showM2).toHaveAttribute("aria-expanded", "false");
  await showM2.click();
  const linesM2 = invoices.getByRole("table", { name: `Строки счёта за ${monthName(m2)}` });
  await expect(linesM2.getByRole("row", { name: /^Горячая вода/ })).toContainText(/1,500\sм³200,00\s₽\/м³300,00\s₽/);
  await invoices.getByRole("button", { name: `Скрыть строки счёта за ${monthName(m1)}` }).click();
  await expect(linesM1).toBeHidden();
  await page.setViewportSize({ width: 390, height: 844 });
  await keepScreenshot(page, "apartment-phone");
  // Readable on a phone: wide tables scroll inside their cards, the page itself does not.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 720 });

  // The same page in English.
  await page.getByLabel("Язык").selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Apartment 7" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Invoices" }).getByRole("table", { name: /^Lines of the invoice for/ })).toBeVisible();
  await expect(page.getByRole("figure", { name: /Water consumption per month/ }).locator(".recharts-bar-rectangle")).toHaveCount(4);
  await keepScreenshot(page, "apartment-en");
});

test("a new apartment: no meters, no invoices, no empty chart", async ({ page, request }) => {
  const house = await post(request, "/api/houses", { address: uniqueAddress("ул. Тихая, д. 2") });
  const flat = await post(request, `/api/houses/${house.id}/apartments`, { number: "1", area: "30" });
  await page.goto(`/apartments/${flat.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Квартира 1" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Счётчики" })).toContainText("В квартире нет счётчиков.");
  await expect(page.getByRole("region", { name: "Счётчики" }).getByRole("link", { name: "Изменить на странице дома" })).toHaveAttribute(
    "href",
    `/houses/${house.id}`,
  );
  await expect(page.getByRole("heading", { name: "Расход по месяцам" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Счета" })).toContainText("Счетов ещё нет: квартира не попадала в расчёт.");
  await keepScreenshot(page, "apartment-empty");
});

test("an apartment that cannot be loaded shows the server's message", async ({ page }) => {
  await page.goto("/apartments/2147480000");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ }).first()).toContainText("Квартира не найдена.");
  await expect(page.getByRole("button", { name: "Повторить" }).first()).toBeVisible();
});
