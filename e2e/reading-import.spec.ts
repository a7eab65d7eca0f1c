import { expect, test } from "@playwright/test";
import { addMonths, currentMonth } from "../lib/months";
import { json, keepScreenshot, newSession, post, signInBrowser, uniqueAddress } from "./helpers";

// Importing a controller's readings file on a phone (360 px): from the readings sheet, upload a
// CSV, take the suggested columns, check the rows (one error, one warning), confirm, and see the
// imported readings on the sheet.

const month = addMonths(currentMonth("Europe/Moscow"), -1);
const dotted = `${month.slice(5)}.${month.slice(0, 4)}`;

let token: string;
test.beforeEach(async ({ context, baseURL }) => {
  ({ token } = await newSession());
  await signInBrowser(context, token, baseURL!);
});

test("a manager imports a readings file from the sheet: preview with a rejected row and a warning, then the readings", async ({
  page,
  request,
}) => {
  const house = await post(request, token, "/api/houses", { address: uniqueAddress("ул. Контрольная, д. 5") });
  const flat = await post(request, token, `/api/houses/${house.id}/apartments`, { number: "1", area: "40" });
  const stamp = Date.now().toString(36);
  const [cold, hot] = [`CW-${stamp}`, `HW-${stamp}`];
  const meters: Record<string, number> = {};
  for (const [serial, service] of [
    [cold, "cold_water"],
    [hot, "hot_water"],
  ]) {
    meters[serial] = (await post(request, token, `/api/apartments/${flat.id}/meters`, { serial_number: serial, service })).id;
  }
  // 1 m³ a month before the month: 130 on the hot meter is a jump
  for (const [delta, cw, hw] of [
    [-3, "10", "100"],
    [-2, "11", "101"],
    [-1, "12", "102"],
  ] as const) {
    const at = addMonths(month, delta);
    expect((await json(request, "PUT", `/api/meters/${meters[cold]}/readings/${at}`, token, { value: cw })).status).toBeLessThan(300);
    expect((await json(request, "PUT", `/api/meters/${meters[hot]}/readings/${at}`, token, { value: hw })).status).toBeLessThan(300);
  }
  const file = ["Счётчик;Показание;Месяц", `${cold};12,5;${dotted}`, `${hot};130;${dotted}`, `NOPE-${stamp};1;${dotted}`].join("\r\n");

  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/houses/${house.id}/readings?period=${month}`);
  await page.getByRole("link", { name: "Загрузить из файла" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Загрузка показаний" })).toBeVisible();
  await expect(page.getByLabel("Месяц для строк без месяца")).toHaveValue(month);

  await page
    .getByLabel("Файл показаний (CSV или XLSX)")
    .setInputFiles({ name: "pokazaniya.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
  await page.getByRole("button", { name: "Загрузить", exact: true }).click();
  await expect(page.getByText(/pokazaniya\.csv: utf-8, разделитель ;, 3 строки/)).toBeVisible();
  // the columns guessed from the header
  await expect(page.getByLabel("Заводской номер счётчика")).toHaveValue("0");
  await expect(page.getByLabel("Показание")).toHaveValue("1");
  await expect(page.getByLabel("Месяц", { exact: true })).toHaveValue("2");
  await keepScreenshot(page, "reading-import-mapping-360");

  await page.getByRole("button", { name: "Проверить строки" }).click();
  await expect(page.getByTestId("count-ok")).toHaveText("1");
  await expect(page.getByTestId("count-warning")).toHaveText("1");
  await expect(page.getByTestId("count-error")).toHaveText("1");
  const rows = page.getByRole("list", { name: "Строки файла" }).getByRole("listitem");
  await expect(rows).toHaveCount(3);
  // numbers as a Russian reader writes them, with their unit
  await expect(rows.nth(1)).toContainText(/Подозрительный скачок: расход 28,000\sм³ при обычном 1,000\sм³/);
  await expect(rows.nth(2)).toContainText("Счётчик не найден.");
  // the row's month by its name, not as 2026-11
  await expect(rows.nth(0)).toContainText(/(январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь) \d{4}/);
  await expect(page.getByRole("link", { name: "Скачать отклонённые строки (1)" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await keepScreenshot(page, "reading-import-preview-360");

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Загрузить показания (2)" }).click();
  await expect(page.getByText("Записано показаний: 2.")).toBeVisible();
  await keepScreenshot(page, "reading-import-committed-360");

  await page.getByRole("link", { name: "Показания" }).click();
  await expect(page.getByRole("textbox", { name: `Квартира 1, ${cold}, холодная вода`, exact: true })).toHaveValue("12,500");
  await expect(page.getByRole("textbox", { name: `Квартира 1, ${hot}, горячая вода`, exact: true })).toHaveValue("130,000");
});
