import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createDb } from "../db/connect";
import { apartment, meter, meterReading } from "../db/schema";
import { addMonths, currentMonth } from "../lib/months";
import {
  json,
  keepScreenshot,
  signedInWithoutHydrationErrors,
  uniqueAddress,
  bill as billAs,
  post as postAs,
  withoutWastewater,
} from "./helpers";

let token: string;
signedInWithoutHydrationErrors((t) => (token = t));

async function createHouse(request: APIRequestContext, label: string) {
  const { status, body } = await json(request, "POST", "/api/houses", token, { address: uniqueAddress(label) });
  expect(status).toBe(201);
  return body as { id: number; address: string; workspace_id: number };
}

const post = (request: APIRequestContext, url: string, data: unknown) => postAs(request, token, url, data);
const bill = (request: APIRequestContext, houseId: number, period: string) => billAs(request, token, houseId, period);

/** The row of the apartment list whose header cell is the apartment's number. */
const apartmentRow = (page: Page, number: string) =>
  page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: number, exact: true }) });

test("a manager edits the address, adds an apartment and a meter, edits and deletes them", async ({ page, request }) => {
  const house = await createHouse(request, "ул. Лесная, д. 5");
  await page.goto(`/houses/${house.id}`);
  await expect(page.getByRole("heading", { level: 1, name: house.address })).toBeVisible();
  await expect(page.getByText("В доме пока нет квартир — добавьте первую.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Ввод показаний" })).toHaveAttribute("href", `/houses/${house.id}/readings`);
  await expect(page.getByRole("link", { name: "Расчёт начислений" })).toHaveAttribute("href", `/houses/${house.id}/billing`);
  await expect(page.getByText("Расчётов ещё не было.")).toBeVisible();

  // The address, edited in place.
  await page.getByRole("button", { name: "Изменить адрес" }).click();
  const address = uniqueAddress("ул. Лесная, д. 5, корп. 2");
  await page.getByLabel("Адрес", { exact: true }).fill(address);
  await page.getByRole("button", { name: "Сохранить адрес" }).click();
  await expect(page.getByRole("heading", { level: 1, name: address })).toBeVisible();
  await expect(page.getByRole("button", { name: "Изменить адрес" })).toBeFocused();
  expect((await json(request, "GET", `/api/houses/${house.id}`, token)).body.address).toBe(address);

  // An apartment, its area typed the Russian way.
  const newApartment = page.getByRole("form", { name: "Новая квартира" });
  await newApartment.getByLabel("Номер").fill("12");
  await newApartment.getByLabel("Площадь, м²").fill("45,5");
  await newApartment.getByRole("button", { name: "Добавить квартиру" }).click();
  await expect(newApartment.getByRole("status")).toHaveText("Квартира 12 добавлена.");
  await expect(apartmentRow(page, "12").getByRole("cell").first()).toHaveText(/^45,50\sм²$/);
  await expect(page.locator("dl").first()).toContainText(/Квартир\s*1\s*Общая площадь\s*45,50\sм²/);
  await expect(newApartment.getByLabel("Номер")).toBeFocused();

  // The same number again: the server's message under the field.
  await newApartment.getByLabel("Номер").fill("12");
  await newApartment.getByLabel("Площадь, м²").fill("30");
  await newApartment.getByRole("button", { name: "Добавить квартиру" }).click();
  await expect(newApartment.getByRole("alert")).toHaveText("Квартира с таким номером уже есть.");
  await expect(newApartment.getByLabel("Номер")).toHaveAttribute("aria-invalid", "true");

  // A meter.
  await apartmentRow(page, "12").getByRole("button", { name: "Изменить квартиру 12" }).click();
  const editor = page.getByRole("region", { name: "Квартира 12" });
  await expect(editor.getByLabel("Номер", { exact: true })).toBeFocused();
  const newMeter = editor.getByRole("form", { name: "Новый счётчик" });
  await newMeter.getByLabel("Номер счётчика").fill("ГВ-001");
  await newMeter.getByLabel("Услуга").selectOption({ label: "Горячая вода" });
  await newMeter.getByLabel("Дата установки").fill("2023-04-15");
  // The end of its verification interval: readings of later months are not billed (Правила № 354, п. 81(12)).
  await newMeter.getByLabel("Поверка до").fill("2029-04-14");
  await newMeter.getByRole("button", { name: "Добавить счётчик" }).click();
  await expect(editor.getByRole("listitem").filter({ hasText: "№ ГВ-001" })).toContainText(
    "Горячая вода № ГВ-001 · установлен 15.04.2023 · поверка до 14.04.2029 · показаний нет",
  );
  await expect(apartmentRow(page, "12")).toContainText("Горячая вода № ГВ-001: показаний нет");
  await expect(newMeter.getByLabel("Номер счётчика")).toHaveValue("");

  // The meter, edited.
  await editor.getByRole("button", { name: "Изменить счётчик ГВ-001" }).click();
  const meterForm = editor.getByRole("form", { name: "Счётчик ГВ-001" });
  await meterForm.getByLabel("Номер счётчика").fill("ХВ-002");
  await meterForm.getByLabel("Услуга").selectOption({ label: "Холодная вода" });
  await meterForm.getByRole("button", { name: "Сохранить счётчик" }).click();
  await expect(apartmentRow(page, "12")).toContainText("Холодная вода № ХВ-002: показаний нет");
  await expect(editor.getByRole("button", { name: "Изменить счётчик ХВ-002" })).toBeFocused();

  // The apartment, edited.
  const apartmentForm = editor.getByRole("form", { name: "Номер и площадь" });
  await apartmentForm.getByLabel("Номер", { exact: true }).fill("12а");
  await apartmentForm.getByLabel("Площадь, м²").fill("46");
  await expect(apartmentForm.getByLabel("Зарегистрировано, чел.")).toHaveValue("0");
  await apartmentForm.getByLabel("Зарегистрировано, чел.").fill("3");
  await apartmentForm.getByRole("button", { name: "Сохранить" }).click();
  await expect(apartmentForm.getByRole("status")).toHaveText("Сохранено.");
  const saved = (await json(request, "GET", `/api/houses/${house.id}`, token)).body.apartments;
  expect(saved.map((a: { number: string; residents: number }) => [a.number, a.residents])).toEqual([["12а", 3]]);
  expect(saved[0].meters.map((m: { serial_number: string; verified_until: string | null }) => [m.serial_number, m.verified_until])).toEqual(
    [["ХВ-002", "2029-04-14"]],
  );
  await expect(page.getByRole("region", { name: "Квартира 12а" })).toBeVisible();
  await expect(apartmentRow(page, "12а").getByRole("cell").first()).toHaveText(/^46,00\sм²$/);
  await keepScreenshot(page, "house-editing");

  // Deleting asks first; Escape keeps everything.
  const editor12a = page.getByRole("region", { name: "Квартира 12а" });
  await editor12a.getByRole("button", { name: "Удалить счётчик ХВ-002" }).click();
  const meterDialog = page.getByRole("dialog", { name: "Удалить счётчик ХВ-002?" });
  await expect(meterDialog).toBeVisible();
  await expect(meterDialog.getByRole("button", { name: "Отмена" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(meterDialog).toBeHidden();
  await expect(apartmentRow(page, "12а")).toContainText("ХВ-002");

  await editor12a.getByRole("button", { name: "Удалить счётчик ХВ-002" }).click();
  await meterDialog.getByRole("button", { name: "Да, удалить" }).click();
  await expect(meterDialog).toBeHidden();
  await expect(apartmentRow(page, "12а")).toContainText("счётчиков нет");

  await editor12a.getByRole("button", { name: "Удалить квартиру" }).click();
  const apartmentDialog = page.getByRole("dialog", { name: "Удалить квартиру 12а?" });
  await apartmentDialog.getByRole("button", { name: "Да, удалить" }).click();
  await expect(apartmentDialog).toBeHidden();
  await expect(apartmentRow(page, "12а")).toHaveCount(0);
  await expect(page.getByText("В доме пока нет квартир — добавьте первую.")).toBeVisible();
  await expect(page.locator("dl").first()).toContainText(/Квартир\s*0/);
});

test("billed data: tariffs, the last run, refusals in the page's words, and a billed apartment archived and gone from the next run", async ({
  page,
  request,
}) => {
  const house = await createHouse(request, "пр. Победы, д. 40");
  const now = currentMonth("Europe/Moscow");
  const [first, billed] = [addMonths(now, -2), addMonths(now, -1)];
  const flat = await post(request, `/api/houses/${house.id}/apartments`, { number: "7", area: "50" });
  const cold = await post(request, `/api/apartments/${flat.id}/meters`, { serial_number: "ХВ-7", service: "cold_water" });
  for (const [service, price] of [
    ["cold_water", "40.50"],
    ["maintenance", "30"],
  ]) {
    await post(request, "/api/tariffs", { service, price, valid_from: first, house_id: house.id });
  }
  await post(request, `/api/houses/${house.id}/readings`, { period: first, readings: [{ meter_id: cold.id, value: "100" }] });
  await post(request, `/api/houses/${house.id}/readings`, { period: billed, readings: [{ meter_id: cold.id, value: "103.5" }] });
  await withoutWastewater(request, token);
  await bill(request, house.id, billed);
  // Another apartment, added after that month was billed.
  await post(request, `/api/houses/${house.id}/apartments`, { number: "8", area: "40" });

  await page.goto(`/houses/${house.id}`);
  const monthName = (m: string) =>
    new Intl.DateTimeFormat("ru-RU", { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${m}-15T00:00:00Z`));
  await expect(page.locator("dl").first()).toContainText(`Последний расчёт${monthName(billed)}`);

  const tariffs = page.getByRole("region", { name: /Тарифы на/ });
  await expect(tariffs.getByRole("row", { name: /Холодная вода/ })).toContainText(/40,50\s₽\/м³/);
  await expect(tariffs.getByRole("row", { name: /Горячая вода/ })).toContainText("не задан");

  // 3,5 m³ × 40,50 ₽ + 50 m² × 30 ₽ = 141,75 ₽ + 1 500,00 ₽
  const runs = page.getByRole("region", { name: "Последние расчёты" });
  await expect(runs.getByRole("row", { name: new RegExp(monthName(billed)) })).toContainText(/готов.*1\s641,75\s₽/);
  await expect(apartmentRow(page, "7")).toContainText(`Холодная вода № ХВ-7: 103,500 м³ (${monthName(billed)})`);

  await apartmentRow(page, "7").getByRole("button", { name: "Изменить квартиру 7" }).click();
  const editor = page.getByRole("region", { name: "Квартира 7" });

  // A meter with readings keeps its service: the server says why, under the field.
  await editor.getByRole("button", { name: "Изменить счётчик ХВ-7" }).click();
  const meterForm = editor.getByRole("form", { name: "Счётчик ХВ-7" });
  await meterForm.getByLabel("Услуга").selectOption("hot_water");
  await meterForm.getByRole("button", { name: "Сохранить счётчик" }).click();
  await expect(meterForm.getByRole("alert")).toHaveText("Нельзя изменить: у счётчика есть показания.");
  await meterForm.getByRole("button", { name: "Отмена" }).click();

  await editor.getByRole("button", { name: "Удалить счётчик ХВ-7" }).click();
  const meterDialog = page.getByRole("dialog", { name: "Удалить счётчик ХВ-7?" });
  await meterDialog.getByRole("button", { name: "Да, удалить" }).click();
  await expect(meterDialog.getByRole("alert")).toHaveText("Показания счётчика уже вошли в счета, удалить его нельзя.");
  await meterDialog.getByRole("button", { name: "Закрыть" }).click();
  await expect(meterDialog).toBeHidden();

  await keepScreenshot(page, "house-billed");

  // A billed apartment cannot be deleted: the question becomes archiving it.
  await editor.getByRole("button", { name: "Удалить квартиру" }).click();
  await page.getByRole("dialog", { name: "Удалить квартиру 7?" }).getByRole("button", { name: "Да, удалить" }).click();
  const archiveDialog = page.getByRole("dialog", { name: "Квартира 7 уже есть в счетах" });
  await expect(archiveDialog).toContainText("Удалить её нельзя: выставленные счета ссылаются на неё.");
  await keepScreenshot(page, "house-archive-offer");
  await archiveDialog.getByRole("button", { name: "Перенести в архив" }).click();
  await expect(archiveDialog).toBeHidden();
  await expect(apartmentRow(page, "7")).toHaveCount(0);
  await expect(apartmentRow(page, "8")).toHaveCount(1);
  await expect(page.locator("dl").first()).toContainText(/Квартир\s*1\s*Общая площадь\s*40,00\sм²/);
  await page.getByText("Архив (1)").click();
  await expect(page.getByRole("button", { name: "Вернуть квартиру 7 из архива" })).toBeVisible();
  await keepScreenshot(page, "house-archived");

  // The next month's run leaves it out; the invoice of the month billed before stays.
  await bill(request, house.id, now);
  const numbers = async (period: string) =>
    (await json(request, "GET", `/api/houses/${house.id}/invoices?period=${period}`, token)).body.items.map(
      (i: { apartment_number: string }) => i.apartment_number,
    );
  expect(await numbers(now)).toEqual(["8"]);
  expect(await numbers(billed)).toEqual(["7"]);
  await page.goto(`/houses/${house.id}/billing?period=${now}`);
  await expect(page.getByRole("row", { name: /Итого по дому/ }).getByRole("rowheader")).toHaveText("Итого по дому (1 счёт)");
  await page.goto(`/apartments/${flat.id}`);
  await expect(page.getByRole("status").filter({ hasText: "Квартира в архиве" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Счета" })).toContainText(monthName(billed));

  await page.goto(`/houses/${house.id}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await keepScreenshot(page, "house-phone");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("a house of 500 apartments arrives with the page, with no request per apartment, and filters as you type", async ({
  page,
  request,
}) => {
  const house = await createHouse(request, "ул. Большая, д. 1");
  const reading = addMonths(currentMonth("Europe/Moscow"), -1);
  // Seeded in the database directly: 1 500 API calls would only slow the suite down.
  const handle = createDb(process.env.E2E_DATABASE_URL!, { max: 1 });
  let account7 = "";
  try {
    const flats = await handle.db
      .insert(apartment)
      .values(Array.from({ length: 500 }, (_, i) => ({ houseId: house.id, number: String(i + 1), area: (40 + (i % 30)).toFixed(2) })))
      .returning({ id: apartment.id, number: apartment.number, accountNumber: apartment.accountNumber });
    account7 = flats.find((f) => f.number === "7")!.accountNumber;
    const meters = await handle.db
      .insert(meter)
      .values(
        flats.flatMap((f) => [
          { apartmentId: f.id, workspaceId: house.workspace_id, serialNumber: `Х${f.number}`, service: "cold_water" as const },
          { apartmentId: f.id, workspaceId: house.workspace_id, serialNumber: `Г${f.number}`, service: "hot_water" as const },
        ]),
      )
      .returning({ id: meter.id });
    await handle.db
      .insert(meterReading)
      .values(meters.map((m, i) => ({ meterId: m.id, period: `${reading}-01`, value: `${100 + i}.125` })));
  } finally {
    await handle.close();
  }

  const apiCalls: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/api/")) apiCalls.push(path);
  });
  await page.goto(`/houses/${house.id}`);
  const table = page.getByRole("table", { name: "Квартиры" });
  await expect(page.getByText("500 квартир", { exact: true })).toBeVisible();
  await expect(table).toHaveAttribute("aria-rowcount", "501");
  // Only the rows on screen are drawn (and a few around them), not 500.
  const drawn = await table.getByRole("row").count();
  expect(drawn).toBeGreaterThan(5);
  expect(drawn).toBeLessThan(60);
  await expect(apartmentRow(page, "1")).toContainText(/Холодная вода № Х1: 100,125\sм³/);
  // The first screen only.
  await page.screenshot({ path: "test-results/screens/house-500.png" });
  // The first screen came with its data (rendered on the server): no API call at all from the
  // browser, so none per apartment or meter either.
  expect(apiCalls).toEqual([]);

  // Scrolling to the end draws the last rows.
  await page.keyboard.press("End");
  await expect(apartmentRow(page, "500")).toContainText(/Горячая вода № Г500: 1\s099,125\sм³/);

  await page.getByLabel("Найти квартиру или счётчик").fill("250");
  await expect(page.getByText("Показано 1 из 500")).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(2);
  await apartmentRow(page, "250").getByRole("button", { name: "Изменить квартиру 250" }).click();
  await expect(page.getByRole("region", { name: "Квартира 250" }).getByLabel("Номер", { exact: true })).toHaveValue("250");
  await keepScreenshot(page, "house-500-filtered");

  // a whole account number finds its apartment (a short query does not look into them: above)
  await page.getByLabel("Найти квартиру или счётчик").fill(account7);
  await expect(page.getByText("Показано 1 из 500")).toBeVisible();
  await expect(apartmentRow(page, "7")).toBeVisible();
});

test("a house that cannot be loaded shows the server's message", async ({ page }) => {
  await page.goto("/houses/2147480000");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Не удалось загрузить дом: Дом не найден.");
  await expect(page.getByRole("button", { name: "Повторить" })).toBeVisible();
});
