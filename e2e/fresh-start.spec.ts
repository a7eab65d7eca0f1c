import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { addMonths, currentMonth } from "../lib/months";
import { DEMO_PHONE } from "../scripts/lib/demo-seed";
import { keepScreenshot, lastCode } from "./helpers";

test("a production start loads no demo data; after db:seed the demo person signs in to the month board and sees the demo month", async ({
  page,
}) => {
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1 });
  try {
    const [counts] = await sql`select (select count(*) from house)::int as houses, (select count(*) from person)::int as people`;
    expect(counts).toEqual({ houses: 0, people: 0 });
  } finally {
    await sql.end();
  }

  // The explicit seeding command, against the database the server uses.
  const output = execFileSync("node_modules/.bin/tsx", ["scripts/db-seed.ts"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
    encoding: "utf8",
  });
  expect(output).toContain("demo data loaded");

  // Signed out, the home page sends the manager to sign in.
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("Номер телефона").fill("8 900 000-00-00");
  await page.getByRole("button", { name: "Получить код" }).click();
  await expect(page.getByRole("status")).toContainText(DEMO_PHONE);
  await page.getByLabel("Код из SMS").fill(await lastCode(DEMO_PHONE));
  await page.getByRole("button", { name: "Войти" }).click();

  // Signed in, the month board of the current month is the first page.
  const now = currentMonth("Europe/Moscow");
  const demo = addMonths(now, -1);
  await expect(page).toHaveURL(new RegExp(`/months/${now}$`));
  await expect(page.getByRole("heading", { level: 1, name: /^Месяц/ })).toBeVisible();
  // Nothing is read for the current month yet.
  await expect(page.getByText("Показания: 0 из 118 счётчиков (0 %)")).toBeVisible();

  // The demo month (the one before): 103 of the 118 meters read (tests/seed.test.ts has the figures).
  await page.getByRole("button", { name: "Предыдущий месяц" }).click();
  await expect(page).toHaveURL(new RegExp(`/months/${demo}$`));
  await expect(page.getByText("Показания: 103 из 118 счётчиков (87 %)")).toBeVisible();
  await expect(page.getByText("Начисление оценит: по среднему — 13, по нормативу — 4; поверка истекла — 4")).toBeVisible();
  const first = page.getByRole("row", { name: /ул\. Лесная, д\. 12/ });
  await expect(first.getByRole("cell").nth(0)).toContainText("Сбор показаний");
  await expect(first.getByRole("cell").nth(1)).toHaveText("63 из 72 (87 %)");
  await expect(page.getByRole("button", { name: "Сбор показаний (2)" })).toHaveAttribute("aria-pressed", "false");
  await keepScreenshot(page, "home-demo-board");

  // Its link leads to the house's sheet showing only the 9 meters without a reading.
  await first.getByRole("link", { name: /^Ввести недостающие показания/ }).click();
  await expect(page).toHaveURL(new RegExp(`/houses/\\d+/readings\\?period=${demo}&filter=missing$`));
  await expect(page.getByLabel("Только счётчики без показаний")).toBeChecked();
  await expect(page.getByText("Показано 9 из 72")).toBeVisible();

  // The month before the demo month was billed by the seed: drafts, reviewed on the billing page.
  await page.goto(`/months/${addMonths(now, -2)}`);
  const billed = page.getByRole("row", { name: /Солнечный проезд, д\. 5, корп\. 2/ });
  await expect(billed.getByRole("cell").nth(0)).toContainText("Черновик");
  await billed.getByRole("link", { name: /^Проверить и провести/ }).click();
  await expect(page).toHaveURL(new RegExp(`/houses/\\d+/billing\\?period=${addMonths(now, -2)}$`));
  await expect(page.getByRole("heading", { level: 1, name: /^Начисления/ })).toBeVisible();

  // The houses stay a click away in the menu.
  await page.getByRole("navigation", { name: "Основное меню" }).getByRole("link", { name: "Дома" }).click();
  await expect(page).toHaveURL(/\/houses$/);
  await expect(page.getByRole("heading", { name: "Дома" })).toBeVisible();
  const house = page.getByRole("row", { name: /ул\. Лесная, д\. 12/ });
  await expect(house).toBeVisible();
  await expect(house.getByRole("cell").nth(1)).toHaveText("36");
  await expect(page.getByRole("row", { name: /Солнечный проезд, д\. 5, корп\. 2/ })).toBeVisible();
  await keepScreenshot(page, "home-demo-houses");

  // A second seed never duplicates the register.
  const again = execFileSync("node_modules/.bin/tsx", ["scripts/db-seed.ts"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
    encoding: "utf8",
  });
  expect(again).toContain("demo data not loaded");
});
