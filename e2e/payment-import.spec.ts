import { expect, test } from "@playwright/test";
import { encodeCp1251 } from "../scripts/lib/cp1251";
import { keepScreenshot, newSession, post, signInBrowser, uniqueAddress } from "./helpers";

// Importing a bank's payment registry on a phone (360 px): upload a windows-1251 file, take the
// suggested columns, check the lines, confirm, see what was recorded.

let token: string;
test.beforeEach(async ({ context, baseURL }) => {
  ({ token } = await newSession());
  await signInBrowser(context, token, baseURL!);
});

test("a manager uploads a registry, maps it, checks it and confirms it at 360 px", async ({ page, request }) => {
  const house = await post(request, token, "/api/houses", { address: uniqueAddress("ул. Банковская, д. 3") });
  const flats = [];
  for (const number of ["1", "2"]) flats.push(await post(request, token, `/api/houses/${house.id}/apartments`, { number, area: "40" }));
  // a new apartment's account number is its id, zero-padded to 8
  const account = (id: number) => String(id).padStart(8, "0");
  const stamp = Date.now().toString(36);
  const file = encodeCp1251(
    [
      "Номер;Лицевой счет;ФИО;Дата;Сумма",
      `${stamp}-1;${account(flats[0].id)};Иванов И. И.;05.03.2025;1 500,50`,
      `${stamp}-2;${account(flats[1].id)};Петрова А. А.;06.03.2025;200,00`,
      `${stamp}-3;99999999;Неизвестный;06.03.2025;10,00`,
    ].join("\r\n"),
  );

  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto("/houses");
  await page.getByRole("button", { name: "Меню" }).click();
  await page.getByRole("link", { name: "Оплаты" }).click();
  await page.getByRole("link", { name: "Загрузить файл банка" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Загрузка банковских платежей" })).toBeVisible();

  await page.getByLabel("Файл реестра (CSV)").setInputFiles({ name: "reestr.csv", mimeType: "text/csv", buffer: file });
  await page.getByRole("button", { name: "Загрузить" }).click();
  await expect(page.getByText(/reestr\.csv: windows-1251, разделитель ;, 3 строки/)).toBeVisible();
  // the columns guessed from the header
  await expect(page.getByLabel("Лицевой счёт")).toHaveValue("1");
  await expect(page.getByLabel("Дата платежа")).toHaveValue("3");
  await expect(page.getByLabel("Сумма")).toHaveValue("4");
  await expect(page.getByLabel("Номер платежа")).toHaveValue("0");
  await expect(page.getByLabel("Плательщик")).toHaveValue("2");
  await keepScreenshot(page, "payment-import-mapping-360");

  await page.getByRole("button", { name: "Проверить строки" }).click();
  await expect(page.getByTestId("count-ok")).toHaveText("2");
  await expect(page.getByTestId("count-error")).toHaveText("1");
  await expect(page.getByTestId("count-duplicate")).toHaveText("0");
  const rows = page.getByRole("list", { name: "Строки файла" }).getByRole("listitem");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(2)).toContainText("Нет квартиры с таким лицевым счётом.");
  // the payment's date as a Russian reader writes it, not 2025-03-05
  await expect(rows.nth(0)).toContainText("05.03.2025");
  await expect(rows.nth(0)).not.toContainText("2025-03-05");
  await page.getByLabel("Показать").selectOption({ label: "Ошибки" });
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole("link", { name: "Скачать отклонённые строки (1)" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await keepScreenshot(page, "payment-import-preview-360");

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Подтвердить загрузку (2)" }).click();
  await expect(page.getByText("Записано платежей: 2.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Загружено" })).toBeVisible();
  await keepScreenshot(page, "payment-import-committed-360");
});
