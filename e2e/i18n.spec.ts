import { expect, test } from "@playwright/test";
import { keepScreenshot, newSession, signInBrowser } from "./helpers";

test.describe("a browser asking for English", () => {
  test.use({ locale: "en-US" });

  test("gets English, and the switch changes the language for good", async ({ page, context, baseURL }) => {
    await signInBrowser(context, (await newSession()).token, baseURL!);
    await page.goto("/houses");
    await expect(page.getByRole("heading", { name: "Houses" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Tariffs" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await keepScreenshot(page, "houses-en");

    await page.getByLabel("Language").selectOption("ru");
    await expect(page.getByRole("heading", { name: "Дома" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "ru");

    // The choice outlives the page: a new visit keeps Russian although the browser asks for English.
    await page.goto("/profile");
    await expect(page.getByRole("heading", { name: "Профиль" })).toBeVisible();
  });
});

test("a Russian browser gets Russian by default, the sign-in page included", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Вход в Kvartplata" })).toBeVisible();
  await expect(page.getByLabel("Номер телефона")).toBeVisible();
});
