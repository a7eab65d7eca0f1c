import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { addMonths, currentMonth } from "../lib/months";
import { bill, json, newSession, post, signInBrowser, uniqueAddress } from "./helpers";

// Every page, in both languages, at a desktop's width and the phones' (360–414 px): it shows what
// it should, axe finds no serious or critical accessibility violation, the page never scrolls
// sideways, and a screenshot at 1366 and 390 px is kept
// (test-results/screens/pages/<page>-<lang>-<width>.png).
// One signed-in person and one seeded house for the whole walk.

const NOW = currentMonth("Europe/Moscow");
const [BEFORE, MONTH] = [addMonths(NOW, -2), addMonths(NOW, -1)];
const WIDTHS = [
  { name: "1366", width: 1366, height: 900, screenshot: true },
  { name: "390", width: 390, height: 844, screenshot: true },
  { name: "360", width: 360, height: 780, screenshot: false },
  { name: "414", width: 414, height: 896, screenshot: false },
] as const;
const HEADINGS = {
  ru: {
    houses: "Дома",
    house: "",
    readings: "Показания счётчиков",
    billing: "Начисления",
    tariffs: "Тарифы",
    profile: "Профиль",
    members: "Участники",
    login: "Вход в Kvartplata",
    board: "Месяц",
    history: "История",
    debtors: "Должники",
    payments: "Оплаты",
    requisites: "Реквизиты",
  },
  en: {
    houses: "Houses",
    house: "",
    readings: "Meter readings",
    billing: "Billing",
    tariffs: "Tariffs",
    profile: "Profile",
    members: "Members",
    login: "Sign in to Kvartplata",
    board: "Month",
    history: "History",
    debtors: "Debtors",
    payments: "Payments",
    requisites: "Requisites",
  },
} as const;

async function seed(request: Parameters<typeof post>[0], token: string, workspaceId: number) {
  // the requisites filled in: the apartment and billing pages offer the payment documents
  const requisites = await json(request, "PATCH", `/api/workspaces/${workspaceId}/requisites`, token, {
    org_name: "ООО «УК Обход»",
    inn: "7704123450",
    kpp: "770401001",
    settlement_account: "40702810200000012345",
    bank_name: "ПАО Сбербанк",
    bic: "044525225",
    correspondent_account: "30101810400000000225",
  });
  expect(requisites.body.complete).toBe(true);
  const address = uniqueAddress("ул. Обходная, д. 3");
  const house = await post(request, token, "/api/houses", { address });
  for (const [service, price] of [
    ["cold_water", "45.50"],
    ["hot_water", "210.33"],
    // a new workspace bills wastewater too (the services catalogue): its lines are on the pages as well
    ["wastewater", "30.90"],
    ["maintenance", "28.91"],
  ]) {
    await post(request, token, "/api/tariffs", { service, price, valid_from: BEFORE });
  }
  let apartmentId = 0;
  for (const [number, area] of [
    ["1", "38.40"],
    ["2", "72.50"],
    ["3", "54.00"],
  ]) {
    const flat = await post(request, token, `/api/houses/${house.id}/apartments`, { number, area });
    apartmentId ||= flat.id;
    const cold = await post(request, token, `/api/apartments/${flat.id}/meters`, {
      serial_number: `ХВ-${house.id}-${number}`,
      service: "cold_water",
    });
    const hot = await post(request, token, `/api/apartments/${flat.id}/meters`, {
      serial_number: `ГВ-${house.id}-${number}`,
      service: "hot_water",
    });
    for (const [period, c, h] of [
      [BEFORE, "100", "50"],
      [MONTH, "103.5", "52.25"],
    ]) {
      await post(request, token, `/api/houses/${house.id}/readings`, {
        period,
        readings: [
          { meter_id: cold.id, value: c },
          { meter_id: hot.id, value: h },
        ],
      });
    }
  }
  await bill(request, token, house.id, MONTH);
  return { id: house.id as number, address, apartmentId };
}

async function axeProblems(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

let token: string;
let workspaceId: number;
let house: Awaited<ReturnType<typeof seed>>;
test.describe.configure({ mode: "serial" });
test.beforeAll(async ({ request }) => {
  ({ token, workspaceId } = await newSession());
  house = await seed(request, token, workspaceId);
  expect((await json(request, "GET", `/api/houses/${house.id}/invoices?period=${MONTH}`, token)).body.items).toHaveLength(3);
});

for (const lang of ["ru", "en"] as const) {
  test(`every page in ${lang} at 1366, 390, 360 and 414 px: no serious accessibility violation, no sideways scroll`, async ({
    browser,
    baseURL,
  }) => {
    // 20 pages × 4 widths: the walk took over 8 min in Russian on the busy machine once the board joined it
    test.setTimeout(900_000);
    const pages = [
      { name: "board", path: `/months/${MONTH}`, heading: "board" },
      { name: "board-future", path: `/months/${addMonths(NOW, 2)}`, heading: "board" },
      { name: "houses", path: "/houses", heading: "houses" },
      { name: "house", path: `/houses/${house.id}`, heading: "house" },
      { name: "readings", path: `/houses/${house.id}/readings`, heading: "readings" },
      { name: "readings-missing", path: `/houses/${house.id}/readings?filter=missing`, heading: "readings" },
      { name: "readings-future", path: `/houses/${house.id}/readings?period=${addMonths(NOW, 3)}`, heading: "readings" },
      { name: "billing", path: `/houses/${house.id}/billing?period=${MONTH}`, heading: "billing" },
      { name: "billing-invalid", path: `/houses/${house.id}/billing?period=2026-13`, heading: "billing" },
      { name: "apartment", path: `/apartments/${house.apartmentId}`, heading: "" },
      { name: "apartment-history", path: `/apartments/${house.apartmentId}/history`, heading: "history" },
      { name: "apartment-account", path: `/apartments/${house.apartmentId}/account`, heading: "" },
      { name: "debtors", path: `/houses/${house.id}/debtors`, heading: "debtors" },
      { name: "payments", path: "/payments", heading: "payments" },
      { name: "tariffs", path: "/tariffs", heading: "tariffs" },
      { name: "history", path: "/history", heading: "history" },
      { name: "profile", path: "/profile", heading: "profile" },
      { name: "members", path: `/workspaces/${workspaceId}/members`, heading: "members" },
      { name: "requisites", path: `/workspaces/${workspaceId}/requisites`, heading: "requisites" },
      { name: "login", path: "/login", heading: "login", signedOut: true },
    ] as const;

    const problems: string[] = [];
    const contextOptions = { locale: lang === "ru" ? "ru-RU" : "en-US" };
    const signedIn = await browser.newContext(contextOptions);
    const signedOut = await browser.newContext(contextOptions);
    for (const context of [signedIn, signedOut]) await context.addCookies([{ name: "NEXT_LOCALE", value: lang, url: baseURL! }]);
    await signInBrowser(signedIn, token, baseURL!);
    for (const size of WIDTHS) {
      for (const spec of pages) {
        const page = await ("signedOut" in spec ? signedOut : signedIn).newPage();
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.goto(spec.path);
        await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
        const heading = spec.heading ? HEADINGS[lang][spec.heading] : undefined;
        if (heading) await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^${heading}`) })).toBeVisible();
        else await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        // The page is ready to use: its data shown (nothing still loading, no address still "…").
        await expect(page.getByText(/^(Загрузка…|Loading…|…)$/)).toHaveCount(0);
        const key = `${spec.name}-${lang}-${size.name}`;
        if (size.screenshot) await page.screenshot({ path: `test-results/screens/pages/${key}.png`, fullPage: true });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (wide > 0) problems.push(`${key}: scrolls sideways by ${wide} px`);
        // axe once per page and language (at the desktop width): the phone's layout is the same markup.
        if (size.name === "1366") for (const p of await axeProblems(page)) problems.push(`${key}: ${p}`);
        // A Russian page says nothing in English (server texts included).
        const text = await page.locator("main").innerText();
        if (lang === "ru" && /\b(not found|must|invalid|failed|error|workspace)\b/i.test(text))
          problems.push(`${key}: English in the Russian page`);
        await page.close();
      }
    }
    await signedIn.close();
    await signedOut.close();
    expect(problems).toEqual([]);
  });
}
