import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { DEMO_PHONE } from "../scripts/lib/demo-seed";
import { keepScreenshot, lastCode } from "./helpers";

test("a production start loads no demo data; after db:seed the demo person signs in and sees the demo houses", async ({ page }) => {
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

  await expect(page).toHaveURL(/\/houses$/);
  await expect(page.getByRole("heading", { name: "Дома" })).toBeVisible();
  const first = page.getByRole("row", { name: /ул\. Лесная, д\. 12/ });
  await expect(first).toBeVisible();
  await expect(first.getByRole("cell").nth(1)).toHaveText("36");
  await expect(page.getByRole("row", { name: /Солнечный проезд, д\. 5, корп\. 2/ })).toBeVisible();
  await keepScreenshot(page, "home-demo-houses");

  // A second seed never duplicates the register.
  const again = execFileSync("node_modules/.bin/tsx", ["scripts/db-seed.ts"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
    encoding: "utf8",
  });
  expect(again).toContain("demo data not loaded");
});
