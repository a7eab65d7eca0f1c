import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { addMonths, currentMonth } from "../lib/months";
import { bill, json, keepScreenshot, newSession, post, signInBrowser, uniqueAddress, withoutWastewater } from "./helpers";

// The payment documents on the pages (issue 17), in Russian: the apartment page's link per billed
// month downloads its PDF (a draft month's says so); the billing page makes the house's PDF in the
// background with a moving bar, then offers it, and still lists it after a reload; without the
// requisites both pages say what is missing and link to them. At 360 px and on a desktop.

const NOW = currentMonth("Europe/Moscow");
const MONTH = addMonths(NOW, -1);

const REQUISITES = {
  org_name: "ООО «УК Проба»",
  inn: "7704123450",
  kpp: "770401001",
  org_address: "119002, г. Москва, ул. Арбат, д. 1",
  settlement_account: "40702810200000012345",
  bank_name: "ПАО Сбербанк",
  bic: "044525225",
  correspondent_account: "30101810400000000225",
};

/** A house of two apartments billed (not posted) for MONTH; the requisites filled in when asked. */
async function seed(request: Parameters<typeof post>[0], token: string, workspaceId: number, withRequisites: boolean) {
  if (withRequisites) {
    const patched = await json(request, "PATCH", `/api/workspaces/${workspaceId}/requisites`, token, REQUISITES);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.complete).toBe(true);
  }
  await withoutWastewater(request, token);
  const house = await post(request, token, "/api/houses", { address: uniqueAddress("ул. Квитанционная, д. 17") });
  await post(request, token, "/api/tariffs", { service: "maintenance", price: "30", valid_from: MONTH });
  const one = await post(request, token, `/api/houses/${house.id}/apartments`, {
    number: "1",
    area: "50",
    owner_name: "Иванов Иван Иванович",
  });
  await post(request, token, `/api/houses/${house.id}/apartments`, { number: "2", area: "40" });
  await bill(request, token, house.id, MONTH);
  return { houseId: house.id as number, apartmentId: one.id as number };
}

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

/** A downloaded file is a PDF with something in it. */
function expectPdf(path: string) {
  const bytes = readFileSync(path);
  expect(bytes.length).toBeGreaterThan(1000);
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
}

test("the apartment page's link downloads the month's payment document, marked as a draft", async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const { token, workspaceId } = await newSession();
  await signInBrowser(page.context(), token, baseURL!);
  const seeded = await seed(request, token, workspaceId, true);

  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/apartments/${seeded.apartmentId}`);
  const link = page.getByRole("link", { name: /^Квитанция \(PDF, черновик\) за / });
  await expect(link).toHaveText("Квитанция (PDF, черновик)");
  await expect(link).toHaveAttribute("href", `/api/apartments/${seeded.apartmentId}/receipt?period=${MONTH}`);
  await noSidewaysScroll(page);
  await keepScreenshot(page, "receipts-apartment-360");

  // the link as the browser follows it (the session cookie, no bearer token)
  const answer = await page.context().request.get(`/api/apartments/${seeded.apartmentId}/receipt?period=${MONTH}`);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toBe("application/pdf");
  expect((await answer.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");

  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^receipt-.+-${MONTH}\\.pdf$`));
  expectPdf(await download.path());

  await page.setViewportSize({ width: 1366, height: 900 });
  await expect(link).toBeVisible();
  await keepScreenshot(page, "receipts-apartment-desktop");
});

test("the billing page makes the house's payment documents with a moving bar, then downloads them, also after a reload", async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const { token, workspaceId } = await newSession();
  await signInBrowser(page.context(), token, baseURL!);
  const seeded = await seed(request, token, workspaceId, true);

  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(`/houses/${seeded.houseId}/billing?period=${MONTH}`);
  const section = page.getByRole("region", { name: /^Квитанции за / });
  await section.getByRole("button", { name: "Квитанции дома (PDF)" }).click();
  // the worker renders them: the bar reaches 100 %
  const bar = section.getByRole("progressbar", { name: "Подготовка квитанций" });
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 60_000 });
  await expect(section.getByRole("status")).toHaveText("Квитанции готовы · черновик: месяц не проведён");
  await expect(section.getByText("Готово 2 из 2")).toBeVisible();
  const download = section.getByRole("link", { name: /^Скачать PDF: квитанции дома за / });
  await expect(download).toBeVisible();
  await keepScreenshot(page, "receipts-billing-desktop");

  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  expect(file.suggestedFilename()).toBe(`receipts-${seeded.houseId}-${MONTH}.pdf`);
  expectPdf(await file.path());

  // a reload still finds the finished file among the month's batches
  await page.setViewportSize({ width: 360, height: 780 });
  await page.reload();
  await expect(section.getByRole("heading", { name: "Сделанные раньше" })).toBeVisible();
  const again = section.getByRole("listitem").getByRole("link", { name: /^Скачать PDF: квитанции дома за / });
  await expect(again).toHaveCount(1);
  const [second] = await Promise.all([page.waitForEvent("download"), again.click()]);
  expectPdf(await second.path());
  await noSidewaysScroll(page);
  await keepScreenshot(page, "receipts-billing-360");
});

test("without the requisites both pages say what is missing and link to the requisites page", async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const { token, workspaceId } = await newSession();
  await signInBrowser(page.context(), token, baseURL!);
  const seeded = await seed(request, token, workspaceId, false);

  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/apartments/${seeded.apartmentId}`);
  const note = page.getByTestId("receipts-requisites-note");
  await expect(note).toContainText("Квитанции пока нельзя сделать: в реквизитах организации не хватает: Наименование организации, ИНН");
  await expect(page.getByRole("link", { name: /^Квитанция \(PDF/ })).toHaveCount(0);
  await expect(note.getByRole("link", { name: "Заполнить реквизиты" })).toHaveAttribute("href", `/workspaces/${workspaceId}/requisites`);
  await noSidewaysScroll(page);
  await keepScreenshot(page, "receipts-apartment-no-requisites-360");

  await page.goto(`/houses/${seeded.houseId}/billing?period=${MONTH}`);
  await expect(note).toBeVisible();
  await expect(page.getByRole("button", { name: "Квитанции дома (PDF)" })).toHaveCount(0);
  await noSidewaysScroll(page);
  await keepScreenshot(page, "receipts-billing-no-requisites-360");
  await note.getByRole("link", { name: "Заполнить реквизиты" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Реквизиты" })).toBeVisible();
});
