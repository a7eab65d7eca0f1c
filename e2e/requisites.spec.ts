import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createDb } from "../db/connect";
import { addMember } from "../db/queries/auth";
import { findOrCreatePerson } from "../lib/auth/persons";
import { createSession } from "../lib/auth/sessions";
import { json, keepScreenshot, newSession, signInBrowser, uniquePhone } from "./helpers";

// The requisites page (issue 17): an owner fills in who bills, a wrong INN is refused in the
// page's words, the values are saved and come back after a reload; a viewer only reads them. The
// checks themselves are in tests/requisites.test.ts.

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

const VALUES: [label: string, value: string][] = [
  ["Наименование организации", "ООО «УК Проба»"],
  ["КПП", "770401001"],
  ["Адрес", "119002, г. Москва, ул. Арбат, д. 1"],
  ["Телефон", "+7 495 000-00-00"],
  ["Электронная почта", "info@uk-proba.example"],
  ["Расчётный счёт", "40702810200000012345"],
  ["Банк", "ПАО Сбербанк"],
  ["БИК", "044525225"],
  ["Корреспондентский счёт", "30101810400000000225"],
];

test("an owner fills in the requisites at 360 px: a wrong INN is refused, the rest saved and shown after a reload", async ({
  page,
  request,
  baseURL,
}) => {
  const owner = await newSession();
  await signInBrowser(page.context(), owner.token, baseURL!);
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto("/profile");
  await page.getByRole("link", { name: /^Реквизиты/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Реквизиты" })).toBeVisible();
  await expect(page.getByText(/Для QR-кода оплаты не хватает: Наименование организации, ИНН, КПП/)).toBeVisible();

  for (const [label, value] of VALUES) await page.getByLabel(label, { exact: true }).fill(value);
  // one digit off: the check digit is wrong
  await page.getByLabel("ИНН", { exact: true }).fill("7704123451");
  await page.getByRole("button", { name: "Сохранить реквизиты" }).click();
  await expect(page.getByLabel("ИНН", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Неверная контрольная цифра ИНН: сверьте его со свидетельством о постановке на учёт.")).toBeVisible();
  await noSidewaysScroll(page);
  await keepScreenshot(page, "requisites-wrong-inn-360");
  // nothing was written
  expect((await json(request, "GET", `/api/workspaces/${owner.workspaceId}/requisites`, owner.token)).body.org_name).toBe("");

  await page.getByLabel("ИНН", { exact: true }).fill("7704123450");
  await page.getByRole("button", { name: "Сохранить реквизиты" }).click();
  await expect(page.getByText("Сохранено.")).toBeVisible();
  await expect(page.getByText("Для QR-кода оплаты заполнено всё необходимое.")).toBeVisible();

  await page.reload();
  for (const [label, value] of [...VALUES, ["ИНН", "7704123450"] as [string, string]]) {
    await expect(page.getByLabel(label, { exact: true })).toHaveValue(value);
  }
  await noSidewaysScroll(page);
  await keepScreenshot(page, "requisites-saved-360");
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  const saved = await json(request, "GET", `/api/workspaces/${owner.workspaceId}/requisites`, owner.token);
  expect(saved.body).toMatchObject({ inn: "7704123450", bic: "044525225", complete: true, missing: [] });
});

test("a viewer reads the requisites, with no control that changes them", async ({ page, request, baseURL }) => {
  const owner = await newSession();
  await json(request, "PATCH", `/api/workspaces/${owner.workspaceId}/requisites`, owner.token, { org_name: "ООО «УК Проба»" });
  const handle = createDb(process.env.E2E_DATABASE_URL!, { max: 1 });
  let token: string;
  try {
    const { person } = await findOrCreatePerson(handle.db, uniquePhone());
    await addMember(handle.db, { workspaceId: owner.workspaceId, personId: person.id, role: "viewer", status: "active" });
    token = (await createSession(handle.db, person.id)).token;
  } finally {
    await handle.close();
  }
  await signInBrowser(page.context(), token, baseURL!);
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/workspaces/${owner.workspaceId}/requisites`);
  await expect(page.getByText("ООО «УК Проба»")).toBeVisible();
  await expect(page.getByTestId("role-note")).toContainText("наблюдатель");
  await expect(page.getByRole("button", { name: "Сохранить реквизиты" })).toHaveCount(0);
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await noSidewaysScroll(page);
  await keepScreenshot(page, "requisites-viewer-360");
});
