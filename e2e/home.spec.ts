import { expect, test } from "@playwright/test";
import { bearer, keepScreenshot, newSession, signInBrowser, uniqueAddress } from "./helpers";

let token: string;
test.beforeEach(async ({ context, baseURL }) => {
  token = (await newSession()).token;
  await signInBrowser(context, token, baseURL!);
});

test("a manager adds a house on the houses page and finds it by address", async ({ page }) => {
  const address = uniqueAddress("ул. Садовая, д. 7");
  await page.goto("/houses");
  await page.getByLabel("Адрес нового дома").fill(`  ${address}  `);
  await page.getByRole("button", { name: "Добавить дом" }).click();

  const row = page.getByRole("row", { name: new RegExp(address) });
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell").nth(1)).toHaveText("0");
  await expect(page.getByLabel("Адрес нового дома")).toHaveValue("");

  await page.getByLabel("Поиск по адресу").fill(address.slice(-8));
  await expect(page.getByRole("row")).toHaveCount(2); // header + the match
  await keepScreenshot(page, "home-search");
});

test("the server's message is shown when the address already exists", async ({ page, request }) => {
  const address = uniqueAddress("пр. Мира, д. 3");
  expect((await request.post("/api/houses", { data: { address }, headers: bearer(token) })).status()).toBe(201);
  await page.goto("/houses");
  await page.getByLabel("Адрес нового дома").fill(address);
  await page.getByRole("button", { name: "Добавить дом" }).click();
  // (Next.js keeps an empty route-announcer alert on every page.)
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Дом с таким адресом уже есть.");
  await expect(page.getByLabel("Адрес нового дома")).toHaveAttribute("aria-invalid", "true");
  await keepScreenshot(page, "home-duplicate-address");
});

test("apartments and area shown on the houses page come from the API", async ({ page, request }) => {
  const address = uniqueAddress("ул. Новая, д. 1");
  const house = await (await request.post("/api/houses/", { data: { address }, headers: bearer(token) })).json();
  for (const [number, area] of [
    ["1", "40.25"],
    ["2", "1200.5"],
  ]) {
    expect((await request.post(`/api/houses/${house.id}/apartments`, { data: { number, area }, headers: bearer(token) })).status()).toBe(
      201,
    );
  }
  await page.goto("/houses");
  const row = page.getByRole("row", { name: new RegExp(address) });
  await expect(row.getByRole("cell").nth(1)).toHaveText("2");
  await expect(row.getByRole("cell").nth(2)).toHaveText(/^1\s240,75\sм²$/);
});

test("the first screen arrives with its houses: no client request is needed to show them", async ({ page, request }) => {
  const address = uniqueAddress("ул. Быстрая, д. 2");
  expect((await request.post("/api/houses", { data: { address }, headers: bearer(token) })).status()).toBe(201);
  await page.route("**/api/houses**", (route) => route.abort());
  await page.goto("/houses");
  await expect(page.getByRole("row", { name: new RegExp(address) })).toBeVisible();
});

test("until the page's scripts run, its form cannot be sent (the browser's own submit would reload and lose it), and what was typed meanwhile is sent", async ({
  page,
}) => {
  // Hold the page's scripts back, as a slow connection would.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto("/houses", { waitUntil: "commit" });
  const submit = page.getByRole("button", { name: "Добавить дом" });
  await expect(submit).toBeVisible(); // the server's HTML is there…
  await expect(submit).toBeDisabled(); // …but not the script that handles it

  // The address typed into the server's HTML, before any script has run.
  const address = uniqueAddress("ул. Неспешная, д. 2");
  await page.getByLabel("Адрес нового дома").fill(address);
  release();
  // The held-back scripts all load and hydrate now: seconds when the machine is busy.
  await expect(submit).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByLabel("Адрес нового дома")).toHaveValue(address);
  const created = page.waitForResponse((r) => r.url().endsWith("/api/houses") && r.request().method() === "POST");
  await submit.click();
  const response = await created;
  expect(response.status()).toBe(201);
  expect((await response.json()).address).toBe(address);
  await expect(page.getByRole("link", { name: address })).toBeVisible();
  await expect(page.getByLabel("Адрес нового дома")).toHaveValue("");
  await expect(page).toHaveURL(/\/houses$/);
});
