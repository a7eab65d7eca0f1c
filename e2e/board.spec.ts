import { expect, test } from "@playwright/test";
import { addMonths, currentMonth } from "../lib/months";
import { keepScreenshot, newSession, post, signInBrowser, uniqueAddress } from "./helpers";

// The month board, the first page after sign-in: a house's state in a month, and each state's
// link to the page that moves it forward (the readings sheet showing the meters still to read,
// then the billing page). The demo register's board is walked by fresh-start.spec.ts.

const NOW = currentMonth("Europe/Moscow");
const MONTH = addMonths(NOW, -1);

test("the board leads from a missing reading to the sheet, and from a house ready to bill to the billing page", async ({
  page,
  request,
  context,
  baseURL,
}) => {
  const { token } = await newSession();
  await signInBrowser(context, token, baseURL!);
  const address = uniqueAddress("ул. Месячная, д. 4");
  const house = await post(request, token, "/api/houses", { address });
  for (const [service, price] of [
    ["cold_water", "45.50"],
    ["wastewater", "30.90"],
    ["maintenance", "28.91"],
  ])
    await post(request, token, "/api/tariffs", { service, price, valid_from: MONTH });
  const meters: number[] = [];
  for (const number of ["1", "2"]) {
    const flat = await post(request, token, `/api/houses/${house.id}/apartments`, { number, area: "40.00" });
    meters.push(
      (
        await post(request, token, `/api/apartments/${flat.id}/meters`, {
          serial_number: `МБ-${house.id}-${number}`,
          service: "cold_water",
        })
      ).id,
    );
  }
  await post(request, token, `/api/houses/${house.id}/readings`, { period: MONTH, readings: [{ meter_id: meters[0], value: "10" }] });

  // Signed in, "/" is the current month's board; the month before is one click back.
  await page.goto("/");
  await expect(page).toHaveURL(new RegExp(`/months/${NOW}$`));
  await page.getByRole("button", { name: "Предыдущий месяц" }).click();
  await expect(page).toHaveURL(new RegExp(`/months/${MONTH}$`));
  const row = page.getByRole("row", { name: new RegExp(address) });
  await expect(row.getByRole("cell").nth(0)).toContainText("Сбор показаний");
  await expect(row.getByRole("cell").nth(1)).toHaveText("1 из 2 (50 %)");
  await expect(page.getByText("Показания: 1 из 2 счётчиков (50 %)")).toBeVisible();
  await keepScreenshot(page, "board-collecting");

  // The sheet shows the one meter without a reading; its reading is entered there.
  await row.getByRole("link", { name: /^Ввести недостающие показания/ }).click();
  await expect(page).toHaveURL(new RegExp(`/houses/${house.id}/readings\\?period=${MONTH}&filter=missing$`));
  await expect(page.getByText("Показано 1 из 2")).toBeVisible();
  const missing = page.getByRole("textbox", { name: /^Квартира / });
  await expect(missing).toHaveCount(1);
  await expect(missing).toHaveAccessibleName(new RegExp(`^Квартира 2, МБ-${house.id}-2`));
  await missing.fill("7");
  await page.getByRole("button", { name: "Сохранить (1)" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Сохранено/ })).toBeVisible();
  // the saved row stays in view
  await expect(missing).toHaveValue("7,000");

  // Back on the board the house is ready, and its link opens the billing page of the month.
  await page.getByRole("navigation", { name: "Основное меню" }).getByRole("link", { name: "Месяц" }).click();
  await expect(page).toHaveURL(new RegExp(`/months/${NOW}$`));
  await page.goto(`/months/${MONTH}`);
  await expect(row.getByRole("cell").nth(0)).toContainText("Можно начислять");
  await expect(row.getByRole("cell").nth(1)).toHaveText("2 из 2 (100 %)");
  await page.getByRole("button", { name: "Можно начислять (1)" }).click();
  await expect(page.getByRole("row")).toHaveCount(2); // the header and this house
  await row.getByRole("link", { name: /^Начислить/ }).click();
  await expect(page).toHaveURL(new RegExp(`/houses/${house.id}/billing\\?period=${MONTH}$`));
  await expect(page.getByRole("heading", { level: 1, name: /^Начисления/ })).toBeVisible();
});

test("a month not yet come is explained, with a link back to the current month", async ({ page, context, baseURL }) => {
  const { token } = await newSession();
  await signInBrowser(context, token, baseURL!);
  await page.goto(`/months/${addMonths(NOW, 1)}`);
  await expect(page.getByRole("alert").filter({ hasText: /ещё не наступил/ })).toBeVisible();
  await page.getByRole("link", { name: /^Открыть / }).click();
  await expect(page).toHaveURL(new RegExp(`/months/${NOW}$`));
  await expect(page.getByText("Домов пока нет.")).toBeVisible();
});
