import { expect, test, type Page } from "@playwright/test";
import { addMonths, currentMonth } from "../lib/months";
import { bill, json, keepScreenshot, newSession, post, signInBrowser, uniqueAddress } from "./helpers";

// The tariffs page: prices for every house and for one house, added from the page, their
// history newest first with the one in force this month marked, and a duplicate refused.

const NOW = currentMonth("Europe/Moscow"); // the server's APP_TIMEZONE default
const EARLIER = addMonths(NOW, -2);
const NEXT = addMonths(NOW, 1);

let token: string;
test.beforeEach(async ({ context, baseURL }) => {
  token = (await newSession()).token;
  await signInBrowser(context, token, baseURL!);
});

/** Fills the form and sends it; unless `refused`, waits until it is saved (the price field empties). */
async function addPrice(page: Page, price: { service: string; price: string; from: string; scope?: string }, refused = false) {
  await page.getByLabel("Услуга").selectOption({ label: price.service });
  await page.getByLabel(/^Цена, ₽ за/).fill(price.price);
  await page.getByLabel("Действует с месяца").fill(price.from);
  await page.getByLabel("Для кого").selectOption({ label: price.scope ?? "Все дома (цена по фонду)" });
  await page.getByRole("button", { name: "Добавить цену" }).click();
  if (!refused) await expect(page.getByLabel(/^Цена, ₽ за/)).toHaveValue("");
}

/** The rows of a service's history as [applies to, price, status]. */
async function history(page: Page, service: string) {
  const rows = page.getByRole("region", { name: new RegExp(`^${service}`) }).getByRole("row");
  return rows.evaluateAll((trs) =>
    trs.slice(1).map((tr) => {
      const cells = [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").replace(/\s+/g, " ").trim());
      return [cells[0], cells[1], cells[3]];
    }),
  );
}

test("a manager adds workspace and house prices and sees the history with the price in force", async ({ page, request }) => {
  const address = uniqueAddress("пр. Тарифный, д. 3");
  const house = await json(request, "POST", "/api/houses", token, { address });
  expect(house.status).toBe(201);

  await page.goto("/tariffs");
  await expect(page.getByRole("heading", { level: 1, name: "Тарифы" })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Холодная вода/ })).toContainText("Цен пока нет.");
  await expect(page.getByLabel("Действует с месяца")).toHaveValue(NOW);

  // A Russian decimal comma is taken as it is typed.
  await addPrice(page, { service: "Холодная вода", price: "45,50", from: EARLIER });
  await expect(page.getByRole("status").filter({ hasText: "Добавлено" })).toContainText("Добавлено: Холодная вода, 45,50 ₽");
  await expect(page.getByLabel(/^Цена, ₽ за/)).toHaveValue("");
  await addPrice(page, { service: "Холодная вода", price: "48", from: NOW });
  await addPrice(page, { service: "Холодная вода", price: "50.25", from: NEXT });
  await addPrice(page, { service: "Содержание жилья", price: "28,91", from: EARLIER });
  await addPrice(page, { service: "Содержание жилья", price: "30,1234", from: NOW, scope: address });

  await expect
    .poll(() => history(page, "Холодная вода"))
    .toEqual([
      ["Все дома (цена по фонду)", "50,25 ₽", "будет действовать"],
      ["Все дома (цена по фонду)", "48,00 ₽", "действует"],
      ["Все дома (цена по фонду)", "45,50 ₽", "прежняя"],
    ]);
  // The workspace default first, then the house's own price, which replaces it for that house.
  await expect
    .poll(() => history(page, "Содержание жилья"))
    .toEqual([
      ["Все дома (цена по фонду)", "28,91 ₽", "действует"],
      [address, "30,1234 ₽", "действует"],
    ]);
  await expect(page.getByRole("region", { name: /^Горячая вода/ })).toContainText("Цен пока нет.");
  await expect(page.getByRole("region", { name: /^Содержание жилья/ }).getByRole("link", { name: address })).toHaveAttribute(
    "href",
    `/houses/${house.body.id}`,
  );
  await keepScreenshot(page, "tariffs-history");

  // The same service, scope and month again: the server's 409 message, at the month field.
  await addPrice(page, { service: "Холодная вода", price: "49", from: NOW }, true);
  const month = page.getByLabel("Действует с месяца");
  await expect(month).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Цена с этого месяца уже задана.");
  await expect.poll(() => history(page, "Холодная вода")).toHaveLength(3);
  await keepScreenshot(page, "tariffs-duplicate");

  // The API saw exactly the prices the page showed.
  const saved = await json(request, "GET", "/api/tariffs", token);
  expect(
    saved.body.items.map((t: { service: string; price: string; valid_from: string; house_id: number | null }) => [
      t.service,
      t.price,
      t.valid_from,
      t.house_id,
    ]),
  ).toEqual([
    ["cold_water", "50.2500", NEXT, null],
    ["cold_water", "48.0000", NOW, null],
    ["cold_water", "45.5000", EARLIER, null],
    ["maintenance", "28.9100", EARLIER, null],
    ["maintenance", "30.1234", NOW, house.body.id],
  ]);
});

test("a price the server refuses shows its message at the field", async ({ page }) => {
  await page.goto("/tariffs");
  await addPrice(page, { service: "Горячая вода", price: "12,345678", from: NOW }, true);
  const price = page.getByLabel(/^Цена, ₽ за/);
  await expect(price).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Не больше 4 знаков после запятой.");
  await expect(page.getByRole("region", { name: /^Горячая вода/ })).toContainText("Цен пока нет.");
});

test("a manager adds a service by area, prices it (which switches it on) and sets a water normative", async ({ page }) => {
  await page.goto("/tariffs");
  const services = page.getByRole("region", { name: "Услуги" });
  const state = (name: string) =>
    services
      .getByRole("row", { name: new RegExp(name) })
      .getByRole("cell")
      .nth(1);
  // A new workspace's four services, billed from the start.
  await expect(state("Водоотведение")).toHaveText("начисляется");

  const form = page.getByRole("form", { name: "Новый вид начислений" });
  await form.getByLabel("Код (латиницей").fill("heating");
  await form.getByLabel("Название по-русски").fill("Отопление");
  await form.getByLabel("Название по-английски").fill("Heating");
  await form.getByLabel("Начисляется").selectOption({ label: "по площади" });
  await form.getByRole("button", { name: "Добавить услугу" }).click();
  await expect(form.getByRole("status")).toHaveText("Услуга heating добавлена: задайте цену, чтобы она начислялась.");
  await expect(state("Отопление")).toHaveText("не начисляется");

  await addPrice(page, { service: "Отопление", price: "41,12", from: NOW });
  await expect(state("Отопление")).toHaveText("начисляется");
  await expect.poll(() => history(page, "Отопление")).toEqual([["Все дома (цена по фонду)", "41,12 ₽", "действует"]]);

  const normative = page.getByRole("form", { name: "Новый норматив" });
  await normative.getByLabel("Вода", { exact: true }).selectOption({ label: "Холодная вода" });
  await normative.getByLabel("м³ на человека в месяц").fill("6,935");
  await normative.getByLabel("Норматив с месяца").fill(EARLIER);
  await normative.getByRole("button", { name: "Добавить норматив" }).click();
  await expect(normative.getByRole("status")).toContainText("Добавлено: Холодная вода, 6,9350 м³ на человека");
  await expect.poll(() => history(page, "Норматив: Холодная вода")).toEqual([["Все дома (цена по фонду)", "6,9350", "действует"]]);
  await expect(page.getByRole("region", { name: /^Норматив: Горячая вода/ })).toContainText("Нормативов пока нет.");
  await keepScreenshot(page, "tariffs-services-normatives");
  await page.setViewportSize({ width: 360, height: 780 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

test("a manager renames a billed service, switches it off for one house, and cannot edit a price once its month is posted", async ({
  page,
  request,
}) => {
  const billedAddress = uniqueAddress("ул. Начисленная, д. 1");
  const otherAddress = uniqueAddress("ул. Соседняя, д. 2");
  const billedHouse = await post(request, token, "/api/houses", { address: billedAddress });
  const other = await post(request, token, "/api/houses", { address: otherAddress });
  const BILLED = addMonths(NOW, -1);
  await post(request, token, "/api/tariffs", { service: "maintenance", price: "30", valid_from: EARLIER });
  await post(request, token, `/api/houses/${billedHouse.id}/apartments`, { number: "1", area: "40" });
  await bill(request, token, billedHouse.id, BILLED);
  await post(request, token, "/api/services", { code: "intercom", name_ru: "Домофон", name_en: "Intercom", basis: "apartment" });

  await page.goto("/tariffs");
  const services = page.getByRole("region", { name: "Услуги" });
  const row = (name: string) => services.getByRole("row", { name: new RegExp(`^${name}`) });
  // A billed service says so and cannot be deleted; an unbilled one can.
  await expect(row("Содержание жилья")).toContainText("в счетах");
  await expect(services.getByRole("button", { name: "Удалить услугу: Содержание жилья" })).toHaveCount(0);
  await services.getByRole("button", { name: "Удалить услугу: Домофон" }).click();
  const dialog = page.getByRole("dialog", { name: "Удалить услугу?" });
  await dialog.getByRole("button", { name: "Да, удалить" }).click();
  await expect(row("Домофон")).toHaveCount(0);

  await services.getByRole("button", { name: "Изменить услугу: Содержание жилья" }).click();
  const form = page.getByRole("form", { name: "Изменить услугу: Содержание жилья" });
  await form.getByLabel("Название по-русски").fill("Содержание и ремонт");
  await form.getByLabel("Название по-английски").fill("Upkeep and repair");
  await form.getByRole("checkbox", { name: otherAddress }).check();
  await form.getByRole("button", { name: "Сохранить" }).click();
  await expect(row("Содержание и ремонт").getByRole("cell").nth(1)).toHaveText(`начисляется кроме дома: ${otherAddress}`);
  const saved = (await json(request, "GET", "/api/services", token)).body.items.find((s: { code: string }) => s.code === "maintenance");
  expect(saved).toMatchObject({ name_ru: "Содержание и ремонт", name_en: "Upkeep and repair", switched_off_houses: [other.id] });

  // The price billed into a draft says so and can still be corrected; once the month is posted it
  // says that instead, offers no Edit or Delete, and a price from the posted month is refused.
  const prices = page.getByRole("region", { name: /^Содержание и ремонт/ });
  await expect(prices.getByRole("row").nth(1)).toContainText("вошла в счета");
  await expect(prices.getByRole("button", { name: /^Изменить цену: Содержание и ремонт, 30,00/ })).toBeVisible();
  const posted = await json(request, "POST", `/api/houses/${billedHouse.id}/months/${BILLED}/post`, token);
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  await page.reload();
  await expect(prices.getByRole("row").nth(1)).toContainText("в проведённом месяце");
  await expect(prices.getByRole("button")).toHaveCount(0);
  await addPrice(page, { service: "Содержание и ремонт", price: "35", from: BILLED }, true);
  await expect(page.getByRole("alert").filter({ hasText: "закрыт" })).toContainText("перерасчёт следующего открытого месяца");
  await addPrice(page, { service: "Содержание и ремонт", price: "35", from: NOW });
  await expect(prices.getByRole("button", { name: /^Изменить цену: Содержание и ремонт, 35,00/ })).toBeVisible();
  await expect(prices.getByRole("button", { name: /^Удалить цену/ })).toHaveCount(1);
  await keepScreenshot(page, "tariffs-services-billed");
  await page.setViewportSize({ width: 360, height: 780 });
  await services.getByRole("button", { name: "Изменить услугу: Содержание и ремонт" }).click();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await keepScreenshot(page, "tariffs-services-edit-360");
});
