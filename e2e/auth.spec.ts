import { expect, test } from "@playwright/test";
import { bearer, json, keepScreenshot, lastCode, newSession, uniqueAddress, uniquePhone } from "./helpers";

test("sign in by phone and code, come back to the page asked for, manage the profile, sign out", async ({ page, request }) => {
  const phone = uniquePhone();
  const colleague = await newSession();
  const colleagueHouse = uniqueAddress("ул. Коллеги, д. 9");
  expect((await json(request, "POST", "/api/houses", colleague.token, { address: colleagueHouse })).status).toBe(201);

  // A signed-out visit to /profile goes to the login page and remembers where it was going.
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login\?next=%2Fprofile$/);
  await page.getByLabel("Номер телефона").fill("12345");
  await page.getByRole("button", { name: "Получить код" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Неверный номер телефона");

  await page.getByLabel("Номер телефона").fill(phone.replace("+7", "8 "));
  await page.getByRole("button", { name: "Получить код" }).click();
  await expect(page.getByRole("status")).toContainText(phone);
  await keepScreenshot(page, "login-code");
  const code = await lastCode(phone);
  await page.getByLabel("Код из SMS").fill(code === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Неверный код: осталось 4 попытки.");
  await page.getByLabel("Код из SMS").fill(code);
  await page.getByRole("button", { name: "Войти" }).click();

  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole("heading", { name: phone })).toBeVisible();
  const myCode = (await page.getByTestId("invite-code").textContent())!;
  expect(myCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);

  // Ask to join the colleague's workspace with their code: once admitted, their house is visible.
  await page.getByLabel("Код приглашения коллеги").fill(myCode);
  await page.getByRole("button", { name: "Активировать" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("ваш собственный");
  await page.getByLabel("Код приглашения коллеги").fill(colleague.inviteCode.toLowerCase());
  await page.getByRole("button", { name: "Активировать" }).click();
  await expect(page.getByText(`Вы активировали код ${colleague.inviteCode}`)).toBeVisible();
  // The activation asks; the colleague decides (e2e/members.spec.ts drives their page).
  await expect(page.getByRole("listitem").filter({ hasText: "заявка ждёт решения владельца" })).toBeVisible();
  const inviter = await json(request, "GET", "/api/profile", colleague.token);
  expect(inviter.body.activated_your_code).toEqual([phone]);
  const members = await json(request, "GET", `/api/workspaces/${colleague.workspaceId}/members`, colleague.token);
  const me = members.body.items.find((m: { phone: string }) => m.phone === phone);
  expect(me).toMatchObject({ status: "pending" });
  const admit = { status: "active", role: "accountant" };
  expect(
    (await json(request, "PATCH", `/api/workspaces/${colleague.workspaceId}/members/${me.person_id}`, colleague.token, admit)).status,
  ).toBe(204);

  // An API key is shown once and works for the integration.
  await page.getByLabel("Название ключа").fill("1С Бухгалтерия");
  await page.getByRole("button", { name: "Создать ключ" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!;
  expect(key).toMatch(/^kvk_/);
  await expect(page.getByRole("cell", { name: "1С Бухгалтерия", exact: true })).toBeVisible();
  const viaKey = await request.get("/api/houses", { headers: bearer(key) });
  expect(viaKey.status()).toBe(200);
  await keepScreenshot(page, "profile");

  await page.getByRole("link", { name: "Дома" }).click();
  await expect(page.getByRole("row", { name: new RegExp(colleagueHouse) })).toBeVisible();

  // Deleting the key stops it at once.
  await page.getByRole("link", { name: "Профиль" }).click();
  await page.getByRole("button", { name: "Удалить ключ 1С Бухгалтерия" }).click();
  await expect(page.getByRole("cell", { name: "1С Бухгалтерия", exact: true })).toHaveCount(0);
  expect((await request.get("/api/houses", { headers: bearer(key) })).status()).toBe(401);

  await page.getByRole("button", { name: "Выйти", exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login\?next=%2Fprofile$/);
});

test("a stale session cookie leads back to sign-in instead of a broken page", async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: "kv_session", value: "kvs_not-a-real-session", url: baseURL! }]);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F/);
  await expect(page.getByRole("heading", { name: "Вход в Kvartplata" })).toBeVisible();
});
