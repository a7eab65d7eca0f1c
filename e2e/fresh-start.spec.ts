import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { keepScreenshot } from "./helpers";

test("a production start loads no demo data; db:seed loads it and the home page lists the demo houses", async ({ page, request }) => {
  const empty = await request.get("/api/houses");
  expect(empty.status()).toBe(200);
  expect(await empty.json()).toMatchObject({ items: [], total: 0 });

  // The explicit seeding command, against the database the server uses.
  const output = execFileSync("node_modules/.bin/tsx", ["scripts/db-seed.ts"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
    encoding: "utf8",
  });
  expect(output).toContain("demo data loaded");

  await page.goto("/");
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
  expect((await (await request.get("/api/houses")).json()).total).toBe(2);
});
