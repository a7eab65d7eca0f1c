import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createDb } from "../db/connect";
import { addMember } from "../db/queries/auth";
import { findOrCreatePerson } from "../lib/auth/persons";
import { createSession } from "../lib/auth/sessions";
import type { MemberRole } from "../lib/constants";
import { addMonths, currentMonth } from "../lib/months";
import { json, keepScreenshot, newSession, post, signInBrowser, uniqueAddress, uniquePhone } from "./helpers";

// The pages by role (issue 15): a viewer sees the owner's register, readings, prices and billing
// with no control that changes them, and a note that says why; an operator enters readings and
// changes nothing else. The members API is another part of the issue: the membership is made
// in the database here, as an owner's admission would make it.

const thisMonth = currentMonth("Europe/Moscow");
const lastMonth = addMonths(thisMonth, -1);

/** What changes something, on any of the pages (ru). */
const EDITING = /Добавить|Сохранить|Удалить|Изменить|Рассчитать|Пересчитать|Провести|Включить|Отключить|Вернуть|Открыть заново/;

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

/** A person who is an active member of the workspace with the role, signed in. */
async function member(workspaceId: number, role: MemberRole) {
  const handle = createDb(process.env.E2E_DATABASE_URL!, { max: 1 });
  try {
    const { person } = await findOrCreatePerson(handle.db, uniquePhone());
    await addMember(handle.db, { workspaceId, personId: person.id, role, status: "active" });
    const { token } = await createSession(handle.db, person.id, CHROME);
    // signed in on a second device too, for the profile's list of sessions
    await createSession(handle.db, person.id, FIREFOX);
    return { token };
  } finally {
    await handle.close();
  }
}

interface Seeded {
  ownerPhone: string;
  workspaceId: number;
  ownerToken: string;
  houseId: number;
  address: string;
  apartmentId: number;
  meterId: number;
  serial: string;
}

/** The owner's house: one apartment, one cold-water meter with last month's reading. */
async function seed(request: APIRequestContext): Promise<Seeded> {
  const owner = await newSession();
  const address = uniqueAddress("ул. Ролевая, д. 1");
  const house = await post(request, owner.token, "/api/houses", { address });
  const flat = await post(request, owner.token, `/api/houses/${house.id}/apartments`, { number: "1", area: "42.00" });
  const serial = `РОЛЬ-${Date.now().toString(36)}`;
  const meter = await post(request, owner.token, `/api/apartments/${flat.id}/meters`, { serial_number: serial, service: "cold_water" });
  const reading = await json(request, "PUT", `/api/meters/${meter.id}/readings/${lastMonth}`, owner.token, { value: "100" });
  expect([200, 201]).toContain(reading.status);
  await post(request, owner.token, "/api/tariffs", { service: "cold_water", price: "51.17", valid_from: lastMonth });
  return {
    ownerPhone: owner.phone,
    workspaceId: owner.workspaceId,
    ownerToken: owner.token,
    houseId: house.id,
    address,
    apartmentId: flat.id,
    meterId: meter.id,
    serial,
  };
}

/** No control that changes something is there, or it is disabled. */
async function expectNoEditing(page: Page) {
  const buttons = page.getByRole("button", { name: EDITING });
  for (const button of await buttons.all()) await expect(button, await button.innerText()).toBeDisabled();
  await expect(page.getByRole("link", { name: /Изменить на странице дома/ })).toHaveCount(0);
}

/** The page at a phone's width and a desktop's, kept as screenshots. */
async function bothWidths(page: Page, name: string) {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    // nothing sticks out sideways at 360 px (else: what does)
    const wider = await page.evaluate(
      (w) =>
        document.documentElement.scrollWidth <= w
          ? []
          : [...document.querySelectorAll("body *")]
              .filter((el) => el.getBoundingClientRect().right > w + 1)
              .slice(-3)
              .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? "").slice(0, 60)}`),
      width,
    );
    expect(wider).toEqual([]);
    await keepScreenshot(page, `roles-${name}-${width}`);
  }
}

test("a viewer sees the register, readings, prices and billing with no editing controls, and is told why", async ({
  page,
  context,
  baseURL,
  request,
}) => {
  const s = await seed(request);
  const viewer = await member(s.workspaceId, "viewer");
  await signInBrowser(context, viewer.token, baseURL!);

  await page.goto(`/houses/${s.houseId}`);
  await expect(page.getByRole("heading", { name: s.address })).toBeVisible();
  await expect(page.getByRole("note")).toContainText("Ваша роль — наблюдатель: изменения недоступны");
  await expect(page.getByRole("link", { name: "1", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Изменить адрес" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Добавить квартиру" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Изменить квартиру/ })).toHaveCount(0);
  await expectNoEditing(page);
  await bothWidths(page, "viewer-house");

  await page.goto(`/apartments/${s.apartmentId}`);
  await expect(page.getByRole("heading", { name: "Квартира 1", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: s.serial })).toBeVisible();
  await expect(page.getByRole("note")).toContainText("наблюдатель");
  await expectNoEditing(page);
  await bothWidths(page, "viewer-apartment");

  await page.goto(`/houses/${s.houseId}/readings?period=${thisMonth}`);
  const input = page.getByRole("textbox", { name: new RegExp(s.serial) });
  await expect(input).toBeVisible();
  await expect(input).not.toBeEditable();
  await expect(page.getByRole("button", { name: /^Сохранить/ })).toBeDisabled();
  await expect(page.getByRole("note")).toContainText("показания можно смотреть, но не вносить");
  await expectNoEditing(page);
  await bothWidths(page, "viewer-readings");

  // Every person also owns a workspace of their own: the page shows both, and the owner's
  // prices without a control that changes them, under a note naming that workspace.
  await page.goto("/tariffs");
  await expect(page.getByRole("heading", { name: "Услуги", exact: true })).toBeVisible();
  await expect(page.getByRole("note")).toHaveText(
    `В пространстве «Пространство ${s.ownerPhone}»: Ваша роль — наблюдатель: изменения недоступны.`,
  );
  await expect(page.getByText("51,17").first()).toBeVisible();
  await expect(page.getByRole("button", { name: /^(Изменить|Удалить) цену/ })).toHaveCount(0);
  await bothWidths(page, "viewer-tariffs");

  await page.goto(`/houses/${s.houseId}/billing?period=${lastMonth}`);
  await expect(page.getByRole("heading", { name: "Начисления", level: 1 })).toBeVisible();
  await expect(page.getByTestId("month-state")).toBeVisible();
  await expect(page.getByRole("note")).toContainText("расчёт и проведение выполняют владелец и бухгалтер");
  await expect(page.getByRole("button", { name: /Рассчитать|Пересчитать/ })).toHaveCount(0);
  await expectNoEditing(page);
  await bothWidths(page, "viewer-billing");

  // The profile: the sessions, this one marked; the other device's ended from here.
  await page.goto("/profile");
  const sessions = page.getByRole("list", { name: "Сеансы" });
  await expect(sessions.getByRole("listitem")).toHaveCount(2);
  await expect(sessions.getByRole("listitem").filter({ hasText: "это устройство" })).toContainText("Chrome на Linux");
  await bothWidths(page, "viewer-profile-sessions");
  await page.getByRole("button", { name: "Завершить сеанс на Firefox на Windows" }).click();
  await expect(sessions.getByRole("listitem")).toHaveCount(1);
  await expect(page.getByRole("button", { name: /Завершить все другие сеансы/ })).toHaveCount(0);

  // Nothing the viewer could reach changed the owner's register.
  const readings = await json(request, "GET", `/api/meters/${s.meterId}/readings`, s.ownerToken);
  expect(readings.body.items.map((r: { period: string }) => r.period)).toEqual([lastMonth]);
});

test("an operator saves a reading on the sheet and sees no register or price controls", async ({ page, context, baseURL, request }) => {
  const s = await seed(request);
  const operator = await member(s.workspaceId, "operator");
  await signInBrowser(context, operator.token, baseURL!);

  await page.goto(`/houses/${s.houseId}`);
  await expect(page.getByRole("heading", { name: s.address })).toBeVisible();
  await expect(page.getByRole("note")).toContainText("Ваша роль — оператор: можно вносить показания, но не менять реестр");
  await expectNoEditing(page);
  // billing is not theirs: no link to it, no runs asked for and refused
  await expect(page.getByRole("link", { name: "Расчёт начислений" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Все тарифы" })).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await bothWidths(page, "operator-house");

  await page.goto(`/houses/${s.houseId}/readings?period=${thisMonth}`);
  const input = page.getByRole("textbox", { name: new RegExp(s.serial) });
  await expect(input).toBeEditable();
  await expect(page.getByRole("note")).toHaveCount(0);
  await input.fill("104,5");
  await page.getByRole("button", { name: /^Сохранить/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сохранено" })).toBeVisible();
  await bothWidths(page, "operator-readings");
  const readings = await json(request, "GET", `/api/meters/${s.meterId}/readings`, s.ownerToken);
  expect(readings.body.items.find((r: { period: string }) => r.period === thisMonth)?.value).toBe("104.500");

  // The operator's own workspace's prices are theirs; the owner's are not even shown.
  await page.goto("/tariffs");
  await expect(page.getByRole("note")).toHaveText(
    `В пространстве «Пространство ${s.ownerPhone}»: Ваша роль — оператор: цены, нормативы и услуги видят и меняют владелец и бухгалтер.`,
  );
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expect(page.getByText("51,17")).toHaveCount(0);
  await bothWidths(page, "operator-tariffs");

  await page.goto(`/houses/${s.houseId}/billing?period=${lastMonth}`);
  await expect(page.getByRole("note")).toContainText("расчёт и проведение выполняют владелец и бухгалтер");
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await bothWidths(page, "operator-billing");
});
