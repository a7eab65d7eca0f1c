import { expect, test } from "@playwright/test";
import { json, keepScreenshot, lastCode, newSession, post, signInBrowser, uniqueAddress, uniquePhone } from "./helpers";

// Issue 18: a resident sends their readings from a phone. A manager puts the resident's phone on
// an apartment; the resident signs in with the real SMS flow on a 360 px page, lands on their
// apartment, types readings with a comma, confirms an unusual one, and the manager's readings
// sheet shows them as sent by the resident. Outside the reading window the form is closed.

test.use({ viewport: { width: 360, height: 740 } });

const TIME_ZONE = process.env.APP_TIMEZONE ?? "Europe/Moscow";
const todayParts = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date())
    .split("-");
/** "YYYY-MM", `delta` months from the current one (the server's time zone) */
const monthFrom = (delta: number) => {
  const [y, m] = todayParts().map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
};

test("a resident signs in on a phone, sends readings with a comma, and the manager's sheet shows them as the resident's", async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  const manager = await newSession();
  const address = uniqueAddress("ул. Жителей, д. 4");
  const house = await post(request, manager.token, "/api/houses", { address });
  const flat = await post(request, manager.token, `/api/houses/${house.id}/apartments`, { number: "15", area: "48.00" });
  const cold = await post(request, manager.token, `/api/apartments/${flat.id}/meters`, { serial_number: "ХВ-15", service: "cold_water" });
  const hot = await post(request, manager.token, `/api/apartments/${flat.id}/meters`, { serial_number: "ГВ-15", service: "hot_water" });
  // the cold meter read 100 last month; the hot one uses 2 m³ a month
  expect((await json(request, "PUT", `/api/meters/${cold.id}/readings/${monthFrom(-1)}`, manager.token, { value: "100" })).status).toBe(
    201,
  );
  for (const [delta, value] of [
    [-3, "10"],
    [-2, "12"],
    [-1, "14"],
  ] as const) {
    expect((await json(request, "PUT", `/api/meters/${hot.id}/readings/${monthFrom(delta)}`, manager.token, { value })).status).toBe(201);
  }
  const window = (from: number, to: number) =>
    json(request, "PATCH", `/api/workspaces/${manager.workspaceId}/billing-settings`, manager.token, {
      reading_window_from: from,
      reading_window_to: to,
    });
  expect((await window(1, 31)).status).toBe(200);
  const phone = uniquePhone();
  await post(request, manager.token, `/api/apartments/${flat.id}/residents`, { phone: phone.replace("+7", "8"), kind: "owner" });

  // The resident signs in as anyone does, and lands on their one apartment.
  await page.goto("/login");
  await page.getByLabel("Номер телефона").fill(phone);
  await page.getByRole("button", { name: "Получить код" }).click();
  await page.getByLabel("Код из SMS").fill(await lastCode(phone));
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page).toHaveURL(new RegExp(`/my/apartments/${flat.id}$`));
  await expect(page.getByRole("heading", { name: `Кв. 15, ${address}` })).toBeVisible();
  await expect(page.getByTestId("window")).toHaveText("Приём показаний с 1 по 31 число месяца.");
  // the header links to the resident's apartments (folded behind the menu on a phone)
  await page.getByRole("button", { name: "Меню" }).click();
  await expect(page.getByRole("link", { name: "Моя квартира" })).toHaveAttribute("href", "/my");
  await page.getByRole("button", { name: "Меню" }).click();

  const coldInput = page.getByRole("textbox", { name: "Холодная вода, счётчик ХВ-15" });
  const hotInput = page.getByRole("textbox", { name: "Горячая вода, счётчик ГВ-15" });
  await expect(coldInput).toHaveAttribute("inputmode", "decimal");
  await expect(page.getByText("Последнее: 100,000 м³")).toBeVisible();
  await keepScreenshot(page, "resident-form-360");
  // the page is as wide as the phone: nothing scrolls sideways
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // A typo is caught before sending; then a comma is a decimal separator.
  await coldInput.fill("12a");
  await page.getByRole("button", { name: "Передать показания" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Введите число" })).toBeVisible();
  await coldInput.fill("123,5");
  // 40 after 14 is far above the usual 2 m³ a month: asked before it is taken
  await hotInput.fill("40");
  await page.getByRole("button", { name: "Передать показания" }).click();
  const question = page.getByRole("alertdialog");
  await expect(question).toContainText("Некоторые показания выглядят необычно");
  await expect(page.getByRole("alert").filter({ hasText: "расход 26,000 м³" })).toBeVisible();
  await keepScreenshot(page, "resident-confirm-360");
  await question.getByRole("button", { name: "Да, передать" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Передано" })).toHaveText("Передано: 2 показания.");
  await expect(page.getByText("Передано в этом месяце: 123,500 м³")).toBeVisible();
  await expect(page.locator('tr[data-source="resident"]')).toHaveCount(2);
  await keepScreenshot(page, "resident-sent-360");

  // A manager's page of the company is not theirs: not found.
  await page.goto(`/apartments/${flat.id}`);
  await expect(page.getByText("Квартира не найдена")).toBeVisible();

  // Outside the window the form is closed (a day that is not today).
  const today = Number(todayParts()[2]);
  const other = today === 1 ? 2 : 1;
  expect((await window(other, other)).status).toBe(200);
  await page.goto("/my");
  await expect(page.getByTestId("window")).toHaveText(`Приём показаний с ${other} по ${other} число месяца; сейчас приём закрыт.`);
  await expect(page.getByRole("button", { name: "Передать показания" })).toHaveCount(0);
  await keepScreenshot(page, "resident-closed-360");

  // With a second apartment (here of the same company), /my lists both instead of opening one.
  const second = await post(request, manager.token, `/api/houses/${house.id}/apartments`, { number: "16", area: "30.00" });
  await post(request, manager.token, `/api/apartments/${second.id}/residents`, { phone, kind: "tenant" });
  await page.goto("/my");
  await expect(page.getByRole("heading", { name: "Мои квартиры" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Кв\. 1[56],/ })).toHaveCount(2);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await keepScreenshot(page, "resident-list-360");
  await page.getByRole("link", { name: /Кв\. 16,/ }).click();
  await expect(page).toHaveURL(new RegExp(`/my/apartments/${second.id}$`));
  await expect(page.getByText("наниматель")).toBeVisible();

  // The manager's readings sheet shows the readings as sent by the resident.
  const managers = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ru-RU" });
  await signInBrowser(managers, manager.token, baseURL!);
  const sheet = await managers.newPage();
  await sheet.goto(`/houses/${house.id}/readings`);
  const marks = sheet.locator('[data-source="resident"]');
  await expect(marks).toHaveCount(2);
  await expect(marks.first()).toContainText("передано жителем");
  await expect(marks.first()).toContainText(phone);
  await keepScreenshot(sheet, "resident-readings-on-sheet");

  // The apartment page lists its residents; a manager adds a tenant and removes them.
  await sheet.goto(`/apartments/${flat.id}`);
  const residents = sheet.getByRole("region", { name: "Жители" });
  await expect(residents.getByRole("listitem")).toHaveText([new RegExp(`${phone.replace("+", "\\+")}\\s*собственник`)]);
  await residents.getByLabel("Телефон").fill("8 977 000-11-22");
  await residents.getByLabel("Собственник или наниматель").selectOption({ label: "наниматель" });
  await residents.getByLabel("Имя (необязательно)").fill("Сидоров П.");
  await residents.getByRole("button", { name: "Добавить жителя" }).click();
  await expect(residents.getByRole("status")).toHaveText("Добавлен +79770001122.");
  await expect(residents.getByRole("listitem")).toHaveCount(2);
  await residents.getByLabel("Телефон").fill("+7 977 000 11 22");
  await residents.getByRole("button", { name: "Добавить жителя" }).click();
  await expect(residents.getByText("У квартиры уже есть житель с этим телефоном.")).toBeVisible();
  await keepScreenshot(sheet, "apartment-residents");
  await residents.getByRole("button", { name: "Удалить +79770001122" }).click();
  await expect(residents.getByRole("listitem")).toHaveCount(1);
  await managers.close();
});
