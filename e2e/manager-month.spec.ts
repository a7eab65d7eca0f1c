import { expect, test, type Page } from "@playwright/test";
import { addMonths, currentMonth } from "../lib/months";
import { keepScreenshot, lastCode, uniqueAddress, uniquePhone } from "./helpers";

// The month a manager lives, through the pages only: sign in, create a house, add apartments
// and meters, set prices, type two months of readings by keyboard, run the bill, watch it
// finish, and find the hand-computed amounts on the invoices.

const M2 = addMonths(currentMonth("Europe/Moscow"), -1); // the month billed
const M1 = addMonths(M2, -1); // the month before: the baseline readings

async function typeSheet(page: Page, houseId: string, period: string, values: string[]) {
  await page.goto(`/houses/${houseId}/readings?period=${period}`);
  await page.getByLabel(/^Квартира 1, .*холодная вода/i).focus();
  for (const value of values) {
    await page.keyboard.type(value);
    await page.keyboard.press("Enter"); // the next row; after the last one, the save button
  }
  await expect(page.getByRole("button", { name: /^Сохранить/ })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText(`Сохранено: новых — ${values.length}, заменено — 0.`)).toBeVisible();
}

test("sign in, register a house, price it, enter two months of readings by keyboard and bill it to the kopeck", async ({ page }) => {
  test.setTimeout(120_000);
  const phone = uniquePhone();
  const address = uniqueAddress("ул. Расчётная, д. 1");
  const serial = (n: number) => `MM-${phone.slice(-6)}-${n}`;

  // Sign in.
  await page.goto("/houses");
  await page.getByLabel("Номер телефона").fill(phone);
  await page.getByRole("button", { name: "Получить код" }).click();
  await page.getByLabel("Код из SMS").fill(await lastCode(phone));
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("heading", { name: "Дома" })).toBeVisible();

  // A house with two apartments and three meters.
  await page.getByLabel("Адрес нового дома").fill(address);
  await page.getByRole("button", { name: "Добавить дом" }).click();
  await page.getByRole("link", { name: address }).click();
  await expect(page.getByRole("heading", { level: 1, name: address })).toBeVisible();
  const houseId = page.url().match(/\/houses\/(\d+)/)![1];
  const newApartment = page.getByRole("form", { name: "Новая квартира" });
  for (const [number, area] of [
    ["1", "45,50"],
    ["2", "62,25"],
  ]) {
    await newApartment.getByLabel("Номер").fill(number);
    await newApartment.getByLabel("Площадь, м²").fill(area);
    await newApartment.getByRole("button", { name: "Добавить квартиру" }).click();
    await expect(page.getByText(`Квартира ${number} добавлена.`)).toBeVisible();
  }
  for (const [apartment, meters] of [
    [
      "1",
      [
        [1, "Холодная вода"],
        [2, "Горячая вода"],
      ],
    ],
    ["2", [[3, "Холодная вода"]]],
  ] as const) {
    await page.getByRole("button", { name: `Изменить квартиру ${apartment}` }).click();
    const newMeter = page.getByRole("region", { name: `Квартира ${apartment}` }).getByRole("form", { name: "Новый счётчик" });
    for (const [n, service] of meters) {
      await newMeter.getByLabel("Номер счётчика").fill(serial(n));
      await newMeter.getByLabel("Услуга").selectOption({ label: service });
      await newMeter.getByRole("button", { name: "Добавить счётчик" }).click();
      await expect(newMeter.getByLabel("Номер счётчика")).toHaveValue("");
    }
  }
  await keepScreenshot(page, "month-house");

  // Prices for the whole workspace from the first month on.
  await page.getByRole("navigation", { name: "Основное меню" }).getByRole("link", { name: "Тарифы" }).click();
  for (const [service, price] of [
    ["Холодная вода", "40,50"],
    ["Горячая вода", "200"],
    ["Водоотведение", "25"],
    ["Содержание жилья", "30,1234"],
  ]) {
    await page.getByLabel("Услуга").selectOption({ label: service });
    await page.getByLabel(/^Цена, ₽ за/).fill(price);
    await page.getByLabel("Действует с месяца").fill(M1);
    await page.getByRole("button", { name: "Добавить цену" }).click();
    await expect(page.getByLabel(/^Цена, ₽ за/)).toHaveValue("");
  }

  // Two months of readings, typed from the paper sheet: apartment 1 cold, hot; apartment 2 cold.
  await typeSheet(page, houseId, M1, ["100", "50", "200"]);
  await typeSheet(page, houseId, M2, ["112,345", "53,5", "207"]);
  await keepScreenshot(page, "month-readings");

  // The bill.
  await page.goto(`/houses/${houseId}/billing?period=${M2}`);
  await page.getByRole("button", { name: "Рассчитать месяц" }).click();
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  await expect(page.getByText("Обработано 2 из 2")).toBeVisible();

  // By hand: apartment 1 — cold 12.345 m³ × 40.50 = 499.9725 → 499.97, hot 3.5 × 200 = 700.00,
  // wastewater (cold + hot) 15.845 × 25 = 396.125 → 396.13, maintenance 45.50 m² × 30.1234 =
  // 1 370.6147 → 1 370.61: water 1 596.10, total 2 966.71. Apartment 2 — cold 7 × 40.50 = 283.50,
  // wastewater 7 × 25 = 175.00, maintenance 62.25 × 30.1234 = 1 875.18165 → 1 875.18: water 458.50,
  // total 2 333.68. The house: water 2 054.60, maintenance 3 245.79, total 5 300.39.
  const money = (text: string) => new RegExp(text.replace(/ /g, "\\s"));
  const row = (number: string) => page.getByRole("row", { name: new RegExp(`Кв\\. ${number}\\b`) });
  await expect(row("1")).toContainText(money("1 596,10 ₽"));
  await expect(row("1")).toContainText(money("1 370,61 ₽"));
  await expect(row("1")).toContainText(money("2 966,71 ₽"));
  await expect(row("2")).toContainText(money("458,50 ₽"));
  await expect(row("2")).toContainText(money("1 875,18 ₽"));
  await expect(row("2")).toContainText(money("2 333,68 ₽"));
  const totals = page.getByRole("row", { name: /Итого по дому/ });
  await expect(totals).toContainText(money("2 054,60 ₽"));
  await expect(totals).toContainText(money("3 245,79 ₽"));
  await expect(totals).toContainText(money("5 300,39 ₽"));
  await keepScreenshot(page, "month-billed");
});
