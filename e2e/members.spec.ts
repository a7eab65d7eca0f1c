import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { json, keepScreenshot, newSession, post, signInBrowser, uniqueAddress } from "./helpers";

// An owner decides about the people who activated their invite code: one admitted with a role
// sees the owner's house, one declined sees nothing (tests/members.test.ts has the API's rules).

test("an owner admits one activation with a role and declines another; only the admitted one sees the house", async ({
  page,
  browser,
  request,
  baseURL,
}) => {
  const owner = await newSession();
  const address = uniqueAddress("ул. Участников, д. 5");
  await post(request, owner.token, "/api/houses", { address });
  const admitted = await newSession();
  const declined = await newSession();
  const own = new Map<string, string>();
  for (const who of [admitted, declined]) {
    own.set(who.token, uniqueAddress("ул. Своя, д. 1"));
    await post(request, who.token, "/api/houses", { address: own.get(who.token) });
    expect((await json(request, "PATCH", "/api/profile", who.token, { foreign_invite_code: owner.inviteCode })).status).toBe(200);
  }

  await signInBrowser(page.context(), owner.token, baseURL!);
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto("/profile");
  await page.getByRole("link", { name: /^Участники пространства/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Участники" })).toBeVisible();
  const pending = page.getByRole("list", { name: "Ждут решения" });
  await expect(pending.getByRole("listitem")).toHaveCount(2);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await keepScreenshot(page, "members-pending-360");

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await pending.getByLabel(`Роль для ${admitted.phone}`).selectOption({ label: "бухгалтер" });
  await pending.getByRole("listitem", { name: admitted.phone }).getByRole("button", { name: "Принять" }).click();
  await pending.getByRole("listitem", { name: declined.phone }).getByRole("button", { name: "Отклонить" }).click();
  await expect(pending).toHaveCount(0);
  const members = page.getByRole("list", { name: "Участники и отклонённые" });
  await expect(members.getByRole("listitem", { name: admitted.phone })).toContainText("бухгалтер");
  await expect(members.getByRole("listitem", { name: declined.phone })).toContainText("отклонён");

  // The last owner stays: the refusal is said in the page's language.
  await members.getByLabel(`Роль ${owner.phone}`).selectOption({ label: "наблюдатель" });
  await expect(members.getByRole("listitem", { name: owner.phone }).getByRole("alert")).toContainText("должен остаться владелец");
  await expect(members.getByLabel(`Роль ${owner.phone}`)).toHaveValue("owner");
  await keepScreenshot(page, "members-decided-360");

  // The admitted one sees the owner's house; the declined one does not.
  for (const [who, sees] of [
    [admitted, 1],
    [declined, 0],
  ] as const) {
    const context = await browser.newContext();
    await signInBrowser(context, who.token, baseURL!);
    const theirs = await context.newPage();
    await theirs.goto("/houses");
    // their own house is listed: the list is there to look at
    await expect(theirs.getByRole("row", { name: new RegExp(own.get(who.token)!) })).toBeVisible();
    await expect(theirs.getByRole("row", { name: new RegExp(address) })).toHaveCount(sees);
    await context.close();
  }
});
