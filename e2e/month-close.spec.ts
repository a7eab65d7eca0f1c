import { expect, test, type APIRequestContext } from "@playwright/test";
import { addMonths, currentMonth } from "../lib/months";
import { json, keepScreenshot, newSession, signInBrowser, uniqueAddress } from "./helpers";

// The month from draft to closed, in the browser against the production build and its worker:
// board → check → run → a reading fixed on the sheet → the draft out of date, posting refused →
// recalculated → posted (the board says so), after which the month is no longer billed.
//
// Prices from BEFORE: cold water 50.00, wastewater 10.00, maintenance 30.00. Apartment 1, 40 m²,
// cold water 100 → 105: 5 m³ × 50 = 250.00, wastewater 50.00, maintenance 1 200.00 = 1 500.00;
// after the fix to 106: 6 m³ → 300.00 + 60.00 + 1 200.00 = 1 560.00.

const NOW = currentMonth("Europe/Moscow");
const MONTH = addMonths(NOW, -1);
const BEFORE = addMonths(MONTH, -1);

let token: string;
test.beforeEach(async ({ context, baseURL }) => {
  token = (await newSession()).token;
  await signInBrowser(context, token, baseURL!);
});

async function call(request: APIRequestContext, method: string, url: string, data: unknown) {
  const res = await json(request, method, url, token, data);
  expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as { id: number };
}

test("board → check → run → fix a reading → out of date → recalculate → post", async ({ page, request }) => {
  test.setTimeout(120_000);
  const address = uniqueAddress("ул. Закрытия, д. 1");
  const house = await call(request, "POST", "/api/houses", { address });
  for (const [service, price] of [
    ["cold_water", "50"],
    ["wastewater", "10"],
    ["maintenance", "30"],
  ])
    await call(request, "POST", "/api/tariffs", { service, price, valid_from: BEFORE });
  const flat = await call(request, "POST", `/api/houses/${house.id}/apartments`, { number: "1", area: "40.00" });
  const meter = await call(request, "POST", `/api/apartments/${flat.id}/meters`, {
    serial_number: `ZK-${house.id}`,
    service: "cold_water",
  });
  await call(request, "PUT", `/api/meters/${meter.id}/readings/${BEFORE}`, { value: "100" });
  await call(request, "PUT", `/api/meters/${meter.id}/readings/${MONTH}`, { value: "105" });

  // the board: the house is ready to bill; its link goes to the billing page
  const billing = `/houses/${house.id}/billing?period=${MONTH}`;
  await page.goto(`/months/${MONTH}`);
  const boardRow = page.getByRole("row", { name: new RegExp(address) });
  await expect(boardRow.getByRole("cell").nth(0)).toContainText("Можно начислять");
  await boardRow.getByRole("link", { name: /^Начислить/ }).click();
  await expect(page).toHaveURL(new RegExp(`/houses/${house.id}/billing\\?period=${MONTH}`));
  const check = page.getByRole("region", { name: "Проверка перед расчётом" });
  await expect(check).toContainText("Показания есть у 1 из 1 счётчиков.");
  const month = page.getByRole("region", { name: "Месяц: черновик и проведение" });
  await expect(month.getByTestId("month-state")).toHaveText("Месяц ещё не начислен.");

  // run
  await page.getByRole("button", { name: "Рассчитать месяц" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Готово" })).toBeVisible({ timeout: 30_000 });
  await expect(
    page
      .getByRole("row", { name: /Итого по дому/ })
      .getByRole("cell")
      .nth(2),
  ).toHaveText("1 500,00 ₽");
  await expect(month.getByTestId("month-state")).toHaveText("Черновик: начисления актуальны, месяц можно проверить и провести.");
  await expect(month.getByRole("button", { name: "Провести месяц" })).toBeEnabled();

  // fix the reading on the sheet
  await page.goto(`/houses/${house.id}/readings?period=${MONTH}`);
  const input = page.getByLabel(/^Квартира 1, .*холодная вода/i);
  await input.fill("106");
  await input.press("Enter");
  await expect(page.getByRole("button", { name: /^Сохранить/ })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Сохранено: новых — 0, заменено — 1.")).toBeVisible();

  // the draft is out of date and cannot be posted
  await page.goto(billing);
  await expect(month.getByTestId("month-state")).toHaveText("Черновик устарел: после расчёта изменились данные. Пересчитайте месяц.");
  await expect(month.getByRole("list", { name: "Устаревшие счета" }).getByRole("listitem")).toHaveText(["кв. 1: показания"]);
  await expect(month.getByRole("button", { name: "Провести месяц" })).toBeDisabled();
  await expect(month).toContainText("пересчитайте месяц, затем проводите");

  // recalculate: 1 560.00, up to date again
  await page.getByRole("button", { name: "Пересчитать месяц" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Пересчитать" }).click();
  await expect(
    page
      .getByRole("row", { name: /Итого по дому/ })
      .getByRole("cell")
      .nth(2),
  ).toHaveText("1 560,00 ₽", { timeout: 30_000 });
  await expect(month.getByTestId("month-state")).toHaveText("Черновик: начисления актуальны, месяц можно проверить и провести.");

  // post: final, and the month is no longer billed
  await month.getByRole("button", { name: "Провести месяц" }).click();
  await expect(month.getByTestId("month-state")).toContainText("Месяц проведён");
  await expect(month.getByRole("list", { name: "История месяца" })).toContainText("проведён");
  await expect(page.getByRole("button", { name: "Пересчитать месяц" })).toBeDisabled();
  await expect(page.getByText("Месяц проведён: расчёт закрыт.")).toBeVisible();
  await keepScreenshot(page, "month-posted");
  await page.goto(`/months/${MONTH}`);
  await expect(boardRow.getByRole("cell").nth(0)).toContainText("Проведён");

  // the sheet says the month is closed before anything is typed, and offers no save
  await page.goto(`/houses/${house.id}/readings?period=${MONTH}`);
  await expect(page.getByRole("note")).toContainText("Месяц закрыт");
  await expect(page.getByRole("button", { name: /^Сохранить/ })).toBeDisabled();
  // and the API refuses a change to the closed month, saying so
  const refused = await json(request, "PUT", `/api/meters/${meter.id}/readings/${MONTH}`, token, { value: "107" });
  expect(refused.status).toBe(409);
  expect((refused.body as { error: { reason: string } }).error.reason).toBe("month_closed");
});
