import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createDb } from "../db/connect";
import { apartment, meter, meterReading } from "../db/schema";
import { addMonths, currentMonth } from "../lib/months";
import { json, keepScreenshot, newSession, signInBrowser, uniqueAddress } from "./helpers";

const monthName = (m: string) =>
  new Intl.DateTimeFormat("ru-RU", { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${m}-15T00:00:00Z`));

// The reading-entry sheet, typed from the keyboard as a manager types a paper sheet.
// The server judges "now" in Europe/Moscow (APP_TIMEZONE's default), and so does this spec.
const thisMonth = currentMonth("Europe/Moscow");
const ago = (months: number) => addMonths(thisMonth, -months);

let token: string;
test.beforeEach(async ({ context, baseURL }) => {
  token = (await newSession()).token;
  await signInBrowser(context, token, baseURL!);
});

interface MeterSeed {
  apartment: string;
  serial: string;
  service: "cold_water" | "hot_water";
  /** months ago → value */
  readings: [number, string][];
}

/** A house with apartments, meters and their past readings, made through the API. */
async function seedHouse(request: APIRequestContext, meters: MeterSeed[]) {
  const address = uniqueAddress("ул. Счётная, д. 4");
  const house = await json(request, "POST", "/api/houses", token, { address });
  expect(house.status).toBe(201);
  const apartments = new Map<string, number>();
  const ids: Record<string, number> = {};
  for (const m of meters) {
    if (!apartments.has(m.apartment)) {
      const flat = await json(request, "POST", `/api/houses/${house.body.id}/apartments`, token, { number: m.apartment, area: "50.00" });
      expect(flat.status).toBe(201);
      apartments.set(m.apartment, flat.body.id);
    }
    const meter = await json(request, "POST", `/api/apartments/${apartments.get(m.apartment)}/meters`, token, {
      serial_number: m.serial,
      service: m.service,
    });
    expect(meter.status).toBe(201);
    ids[m.serial] = meter.body.id;
    for (const [months, value] of m.readings) await putReading(request, meter.body.id, ago(months), value);
  }
  return { id: house.body.id as number, address, meters: ids };
}

async function putReading(request: APIRequestContext, meterId: number, month: string, value: string) {
  const res = await json(request, "PUT", `/api/meters/${meterId}/readings/${month}`, token, { value });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
}

/** The month's saved values by serial number, read back through the API. */
async function savedValues(request: APIRequestContext, houseId: number, month: string) {
  const res = await json(request, "GET", `/api/houses/${houseId}/readings?period=${month}`, token);
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.items.map((i: { serial_number: string; current: { value: string } | null }) => [i.serial_number, i.current?.value ?? null]),
  );
}

const input = (page: Page, label: string) => page.getByRole("textbox", { name: label, exact: true });
/** The table row of the meter whose input has this label. */
/** Does `act`, refuses the question it raises, and gives the question ("" if none was asked). */
async function refusedQuestion(page: Page, act: () => Promise<void>): Promise<string> {
  let asked = "";
  page.once("dialog", (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await act();
  return asked;
}

const row = (page: Page, label: string) => page.getByRole("row").filter({ has: input(page, label) });

test("a month typed by keyboard: live consumption, inline errors, a server refusal saving nothing, then the save", async ({
  page,
  request,
}) => {
  const suffix = Date.now().toString(36).toUpperCase();
  const [cw1, hw1, cw2, cw10] = ["CW-1", "HW-1", "CW-2", "CW-10"].map((s) => `${s}-${suffix}`);
  const house = await seedHouse(request, [
    { apartment: "10", serial: cw10, service: "cold_water", readings: [] },
    {
      apartment: "2",
      serial: cw2,
      service: "cold_water",
      readings: [
        [2, "200"],
        [1, "205"],
      ],
    },
    { apartment: "1", serial: hw1, service: "hot_water", readings: [[1, "50"]] },
    {
      apartment: "1",
      serial: cw1,
      service: "cold_water",
      readings: [
        [3, "100"],
        [2, "110"],
        [1, "120"],
      ],
    },
  ]);
  const labels = {
    cw1: `Квартира 1, ${cw1}, холодная вода`,
    hw1: `Квартира 1, ${hw1}, горячая вода`,
    cw2: `Квартира 2, ${cw2}, холодная вода`,
    cw10: `Квартира 10, ${cw10}, холодная вода`,
  };

  await page.goto(`/houses/${house.id}/readings`);
  await expect(page.getByRole("heading", { name: /Показания счётчиков/ })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Вы здесь" }).getByRole("link", { name: house.address })).toBeVisible();
  // One row per meter, by apartment number as a number, cold before hot.
  const inputs = page.getByRole("textbox", { name: /^Квартира / });
  await expect(inputs).toHaveCount(4);
  expect(await inputs.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")))).toEqual([
    labels.cw1,
    labels.hw1,
    labels.cw2,
    labels.cw10,
  ]);
  await expect(row(page, labels.cw1)).toContainText("120,000 м³");
  await expect(row(page, labels.cw1).getByRole("cell").last()).toHaveText("10,000 м³"); // usual per month
  await expect(row(page, labels.cw10)).toContainText("нет"); // no previous reading

  // Row 1: a decimal comma, the consumption follows the typing.
  await inputs.first().focus();
  await page.keyboard.type("125");
  await expect(row(page, labels.cw1).getByRole("status")).toHaveText("5,000 м³");
  await page.keyboard.type(",5");
  await expect(row(page, labels.cw1).getByRole("status")).toHaveText("5,500 м³");
  await page.keyboard.press("Enter");
  await expect(input(page, labels.hw1)).toBeFocused();

  // Row 2: lower than the previous 50; the error appears once the row is left.
  await page.keyboard.type("49");
  await page.keyboard.press("Enter");
  await expect(input(page, labels.cw2)).toBeFocused();
  await expect(row(page, labels.hw1)).toContainText("Меньше предыдущего показания (50,000 м³)");
  await expect(input(page, labels.hw1)).toHaveAttribute("aria-invalid", "true");

  // Row 3: not a number; row 4: too many decimals. Both shown at once.
  await page.keyboard.type("abc");
  await expect(row(page, labels.cw2)).toContainText("Это не число");
  await page.keyboard.press("ArrowDown");
  await expect(input(page, labels.cw10)).toBeFocused();
  await page.keyboard.type("1,2345");
  await expect(row(page, labels.cw10)).toContainText("Не больше 3 знаков после запятой");
  await expect(row(page, labels.cw1)).not.toContainText(/Меньше|не число|знаков/);
  await expect(input(page, labels.cw1)).not.toHaveAttribute("aria-invalid");
  await keepScreenshot(page, "readings-inline-errors");

  // Saving with errors sends nothing and names them.
  await page.keyboard.press("Control+Enter");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Ничего не сохранено: исправьте 3 строки с ошибками.");
  await expect(input(page, labels.hw1)).toBeFocused(); // the first row with an error
  expect(await savedValues(request, house.id, thisMonth)).toEqual({ [cw1]: null, [hw1]: null, [cw2]: null, [cw10]: null });

  // Fix them: ↑/↓ move between rows and a focused input's text is selected, so typing replaces it.
  await page.keyboard.type("50"); // zero consumption: unusual, allowed
  await page.keyboard.press("ArrowDown");
  await page.keyboard.type("260"); // 55 m³ against a usual 5: unusual, allowed
  await page.keyboard.press("Enter");
  await page.keyboard.type("7,125"); // a first reading
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await expect(input(page, labels.cw1)).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter"); // past the last row: the save button
  await expect(page.getByRole("button", { name: "Сохранить (4)" })).toBeFocused();
  await expect(page.getByText(/ошибок: 0/)).toBeVisible();
  await expect(row(page, labels.hw1)).not.toContainText("Без расхода"); // a first month without use is not unusual
  await expect(row(page, labels.cw2)).toContainText("Намного больше обычного (5,000 м³)");
  await expect(row(page, labels.cw2).getByRole("status")).toHaveText("55,000 м³");
  await expect(row(page, labels.cw10)).toContainText("первое показание");
  await expect(row(page, labels.cw1)).not.toContainText("Намного больше");

  // Meanwhile somebody corrects last month's reading of row 1 upwards: only the server knows
  // that 125,5 is now lower than the previous reading. Row 3's 55 m³ against a usual 5 is asked
  // about first; then the server refuses the sheet, all of it.
  await putReading(request, house.meters[cw1], ago(1), "130");
  await page.keyboard.press("Enter");
  const question = page.getByRole("dialog", { name: "1 показание выглядит необычно" });
  await expect(question).toContainText(`Кв. 2, ${cw2}: 260,000 м³ — расход 55,000 м³ при обычных 5,000 м³`);
  await question.getByRole("button", { name: "Да, сохранить" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText(
    "Ничего не сохранено: сервер отклонил 1 строку. Исправьте и сохраните снова.",
  );
  await expect(row(page, labels.cw1)).toContainText(`Меньше предыдущего показания 130,000 м³ за ${monthName(ago(1))}.`);
  await expect(input(page, labels.cw1)).toHaveAttribute("aria-invalid", "true");
  await expect(input(page, labels.cw1)).toBeFocused();
  for (const other of [labels.hw1, labels.cw2, labels.cw10]) await expect(input(page, other)).not.toHaveAttribute("aria-invalid");
  expect(await savedValues(request, house.id, thisMonth)).toEqual({ [cw1]: null, [hw1]: null, [cw2]: null, [cw10]: null });
  await keepScreenshot(page, "readings-server-error");

  // Corrected, the sheet is saved in one go.
  await page.keyboard.type("135");
  await expect(input(page, labels.cw1)).not.toHaveAttribute("aria-invalid");
  await page.keyboard.press("Control+Enter");
  await question.getByRole("button", { name: "Да, сохранить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сохранено" })).toHaveText("Сохранено: новых — 4, заменено — 0.");
  expect(await savedValues(request, house.id, thisMonth)).toEqual({ [cw1]: "135.000", [hw1]: "50.000", [cw2]: "260.000", [cw10]: "7.125" });
  // The sheet now shows what the server holds: the new previous reading of row 1, the saved values.
  await expect(row(page, labels.cw1)).toContainText("130,000 м³");
  await expect(row(page, labels.cw1).getByRole("status")).toHaveText("5,000 м³");
  await expect(input(page, labels.cw10)).toHaveValue("7,125");
  await expect(page.getByRole("button", { name: "Сохранить", exact: true })).toBeVisible();
  await keepScreenshot(page, "readings-saved");
});

test("another month's readings are shown and replaced; leaving with unsaved readings asks first", async ({ page, request }) => {
  const serial = `CW-${Date.now().toString(36).toUpperCase()}`;
  const house = await seedHouse(request, [
    {
      apartment: "7",
      serial,
      service: "cold_water",
      readings: [
        [2, "10"],
        [1, "20"],
      ],
    },
  ]);
  const label = `Квартира 7, ${serial}, холодная вода`;

  await page.goto(`/houses/${house.id}/readings`);
  await expect(input(page, label)).toHaveValue("");
  await page.getByRole("textbox", { name: "Месяц", exact: true }).fill(ago(1));
  await expect(page).toHaveURL(new RegExp(`\\?period=${ago(1)}$`));
  await expect(input(page, label)).toHaveValue("20,000");
  await expect(row(page, label)).toContainText("10,000 м³");

  // The month after already has a reading: a value above it is refused on the row.
  await putReading(request, house.meters[serial], thisMonth, "30");
  await page.reload();
  await expect(row(page, label)).toContainText("следующее: 30,000 м³");
  await input(page, label).focus();
  await page.keyboard.type("30,5");
  await page.keyboard.press("Enter");
  await expect(row(page, label)).toContainText("Больше следующего показания (30,000 м³)");

  await input(page, label).focus();
  await page.keyboard.type("21");
  await expect(row(page, label).getByRole("status")).toHaveText("11,000 м³");

  // An in-app link asks; refusing stays with the typed value.
  const asked = await refusedQuestion(page, () =>
    page.getByRole("navigation", { name: "Основное меню" }).getByRole("link", { name: "Дома" }).click(),
  );
  expect(asked).toBe("Введённые показания не сохранены. Уйти со страницы и потерять их?");
  await expect(page).toHaveURL(new RegExp(`/houses/${house.id}/readings\\?period=${ago(1)}$`));
  await expect(input(page, label)).toHaveValue("21");

  // So does another month.
  expect(await refusedQuestion(page, () => page.getByRole("button", { name: "Следующий месяц" }).click())).toContain("не сохранены");
  await expect(page.getByRole("textbox", { name: "Месяц", exact: true })).toHaveValue(ago(1));
  await expect(input(page, label)).toHaveValue("21");
  await keepScreenshot(page, "readings-unsaved");

  // And signing out, before the session is ended: refusing keeps it, so the save below works.
  expect(await refusedQuestion(page, () => page.getByRole("button", { name: "Выйти" }).click())).toContain("не сохранены");
  await expect(page).toHaveURL(new RegExp(`/houses/${house.id}/readings\\?period=${ago(1)}$`));
  await expect(input(page, label)).toHaveValue("21");

  // Saving replaces the month's reading; nothing is left to warn about.
  await page.getByRole("button", { name: "Сохранить (1)" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сохранено" })).toHaveText("Сохранено: новых — 0, заменено — 1.");
  expect(await savedValues(request, house.id, ago(1))).toEqual({ [serial]: "21.000" });

  // Typed again and the tab closed: the browser's own prompt.
  await input(page, label).focus();
  await page.keyboard.type("22");
  const beforeUnload = page.waitForEvent("dialog");
  await page.close({ runBeforeUnload: true });
  const dialog = await beforeUnload;
  expect(dialog.type()).toBe("beforeunload");
  await dialog.dismiss();
});

test("signing out with unsaved readings, once confirmed, signs out without asking again", async ({ page, request }) => {
  const serial = `CW-${Date.now().toString(36).toUpperCase()}`;
  const house = await seedHouse(request, [{ apartment: "3", serial, service: "cold_water", readings: [[1, "5"]] }]);
  await page.goto(`/houses/${house.id}/readings`);
  const label = `Квартира 3, ${serial}, холодная вода`;
  await input(page, label).fill("6");

  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.accept();
  });
  await page.getByRole("button", { name: "Выйти" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(dialogs).toEqual(["confirm: Введённые показания не сохранены. Уйти со страницы и потерять их?"]);
  // The session is over.
  expect((await json(request, "GET", "/api/profile", token)).status).toBe(401);
});

test("a house of another workspace shows the server's message", async ({ page, request }) => {
  const stranger = await newSession();
  const foreign = await json(request, "POST", "/api/houses", stranger.token, { address: uniqueAddress("ул. Чужая") });
  expect(foreign.status).toBe(201);
  await page.goto(`/houses/${foreign.body.id}/readings?period=${ago(1)}`);
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Не удалось загрузить показания: Дом не найден.");
  await keepScreenshot(page, "readings-not-found");
});

test("a house of 500 meters comes in one request and is typed like a small one", async ({ page, request }) => {
  // Seeded in the database directly: 250 apartments with a cold and a hot meter, read last month.
  const house = await json(request, "POST", "/api/houses", token, { address: uniqueAddress("пр. Большой, д. 500") });
  const handle = createDb(process.env.E2E_DATABASE_URL!, { max: 1 });
  try {
    const flats = await handle.db
      .insert(apartment)
      .values(Array.from({ length: 250 }, (_, i) => ({ houseId: house.body.id, number: String(i + 1), area: "50.00" })))
      .returning({ id: apartment.id, number: apartment.number });
    const meters = await handle.db
      .insert(meter)
      .values(
        flats.flatMap((f) =>
          (["cold_water", "hot_water"] as const).map((service) => ({
            apartmentId: f.id,
            workspaceId: house.body.workspace_id,
            serialNumber: `BIG-${house.body.id}-${f.number}-${service === "cold_water" ? "C" : "H"}`,
            service,
          })),
        ),
      )
      .returning({ id: meter.id });
    await handle.db.insert(meterReading).values(meters.map((m, i) => ({ meterId: m.id, period: `${ago(1)}-01`, value: `${i}.5` })));
  } finally {
    await handle.close();
  }

  const apiCalls: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/")) apiCalls.push(r.url());
  });
  await page.goto(`/houses/${house.body.id}/readings`);
  const inputs = page.getByRole("textbox", { name: /^Квартира / });
  await expect(page.getByText(/^Счётчиков: 500 ·/)).toBeVisible();
  // Only the rows on screen are drawn (and a few around them), not 500.
  expect(await inputs.count()).toBeLessThan(80);
  expect(apiCalls).toEqual([]); // the sheet came with the page

  // Enter goes down the sheet past the rows first drawn: each next row is drawn in time.
  await inputs.first().focus();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.type(`${i + 1}`);
    await page.keyboard.press("Enter");
  }
  await expect(page.getByText(/изменено: 40 · ошибок: 0/)).toBeVisible();
  await expect(page.locator(":focus")).toHaveAttribute("aria-label", `Квартира 21, BIG-${house.body.id}-21-C, холодная вода`);

  // The last meter, found by the filter.
  const last = `Квартира 250, BIG-${house.body.id}-250-H, горячая вода`;
  await page.getByLabel("Найти квартиру или счётчик").fill(`BIG-${house.body.id}-250-H`);
  await expect(inputs).toHaveCount(1);
  await input(page, last).focus();
  await page.keyboard.type("600");
  await expect(row(page, last).getByRole("status")).toHaveText("100,500 м³");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Сохранить (41)" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Сохранено" })).toHaveText("Сохранено: новых — 41, заменено — 0.");
  // One save for the sheet (and the sheet read again afterwards), not a request per row.
  await expect.poll(() => apiCalls.filter((u) => u.includes("/readings")).length).toBe(2);
  const saved = await savedValues(request, house.body.id, thisMonth);
  expect(Object.values(saved).filter((v) => v !== null)).toHaveLength(41);
  await page.getByLabel("Найти квартиру или счётчик").fill("");
  // The viewport, not the full page: the sticky footer over the middle of the sheet.
  await input(page, `Квартира 5, BIG-${house.body.id}-5-C, холодная вода`).focus();
  await page.screenshot({ path: "test-results/screens/readings-500.png" });
});

test.describe("in English", () => {
  test.use({ locale: "en-US" });

  test("the sheet speaks English and labels each input by apartment, meter and service", async ({ page, request }) => {
    const serial = `CW-${Date.now().toString(36).toUpperCase()}`;
    const house = await seedHouse(request, [
      {
        apartment: "12",
        serial,
        service: "cold_water",
        readings: [
          [3, "1000"],
          [1, "1010"],
        ],
      },
    ]);

    await page.goto(`/houses/${house.id}/readings`);
    const label = `Apartment 12, ${serial}, cold water`;
    await expect(page.getByRole("heading", { name: /Meter readings/ })).toBeVisible();
    await input(page, label).focus();
    await page.keyboard.type("1040,25");
    await expect(row(page, label).getByRole("status")).toHaveText("30.250 m³"); // numbers as English writes them
    await expect(row(page, label)).toContainText("Far above the usual (5.000 m³)");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: "Save (1)" })).toBeFocused();
    await keepScreenshot(page, "readings-en");
  });
});

test("readings typed before the page's scripts have run are kept and saved as typed (1300,5 stays 1300,5)", async ({ page, request }) => {
  const suffix = Date.now().toString(36).toUpperCase();
  const [a, b] = [`EARLY-A-${suffix}`, `EARLY-B-${suffix}`];
  const house = await seedHouse(request, [
    { apartment: "1", serial: a, service: "cold_water", readings: [[1, "1000"]] },
    { apartment: "2", serial: b, service: "cold_water", readings: [[1, "1000"]] },
  ]);
  const [labelA, labelB] = [`Квартира 1, ${a}, холодная вода`, `Квартира 2, ${b}, холодная вода`];

  // The page's scripts are held back, as on a slow connection: the server's HTML is all there is.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`/houses/${house.id}/readings`, { waitUntil: "commit" });
  const save = page.getByRole("button", { name: /^Сохранить/ });
  await expect(input(page, labelA)).toBeVisible();
  await expect(save).toBeDisabled(); // no script yet

  // A whole value in the first row, the first digit of another in the second…
  await input(page, labelA).focus();
  await page.keyboard.type("1300,5");
  await page.keyboard.press("Tab");
  await page.keyboard.type("1");
  release();
  // The held-back scripts all load and hydrate now: seconds when the machine is busy.
  await expect(save).toBeEnabled({ timeout: 20_000 });
  // …and the rest of it once the page is live.
  await page.keyboard.type("020,25");
  await expect(input(page, labelA)).toHaveValue("1300,5");
  await expect(input(page, labelB)).toHaveValue("1020,25");
  await expect(row(page, labelA).getByRole("status")).toHaveText("300,500 м³");

  await page.getByRole("button", { name: "Сохранить (2)" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сохранено" })).toHaveText("Сохранено: новых — 2, заменено — 0.");
  expect(await savedValues(request, house.id, thisMonth)).toEqual({ [a]: "1300.500", [b]: "1020.250" });
});

test("a suspicious reading asks before it is saved: 84 m³ against a usual 3.5", async ({ page, request }) => {
  const serial = `SUS-${Date.now().toString(36).toUpperCase()}`;
  const house = await seedHouse(request, [
    {
      apartment: "5",
      serial,
      service: "cold_water",
      readings: [
        [4, "100"],
        [3, "103.5"],
        [2, "107"],
        [1, "110.5"],
      ],
    },
  ]);
  const label = `Квартира 5, ${serial}, холодная вода`;
  await page.goto(`/houses/${house.id}/readings`);
  await input(page, label).fill("194,5");
  await expect(row(page, label)).toContainText("Намного больше обычного (3,500 м³)");
  await page.getByRole("button", { name: "Сохранить (1)" }).click();

  const dialog = page.getByRole("dialog", { name: "1 показание выглядит необычно" });
  await expect(dialog).toContainText(`Кв. 5, ${serial}: 194,500 м³ — расход 84,000 м³ при обычных 3,500 м³`);
  await keepScreenshot(page, "readings-suspicious");
  // Going back saves nothing and returns to the row.
  await dialog.getByRole("button", { name: "Вернуться и исправить" }).click();
  await expect(dialog).toBeHidden();
  await expect(input(page, label)).toBeFocused();
  expect(await savedValues(request, house.id, thisMonth)).toEqual({ [serial]: null });

  await page.getByRole("button", { name: "Сохранить (1)" }).click();
  await dialog.getByRole("button", { name: "Да, сохранить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сохранено" })).toHaveText("Сохранено: новых — 1, заменено — 0.");
  expect(await savedValues(request, house.id, thisMonth)).toEqual({ [serial]: "194.500" });
});
