import { existsSync, readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { createDb } from "../db/connect";
import { findOrCreatePerson } from "../lib/auth/persons";
import { createSession } from "../lib/auth/sessions";

let counter = 0;
/** Addresses unique to this run, so that specs never depend on each other's data. */
export const uniqueAddress = (label: string) => `${label} ${Date.now().toString(36)}-${++counter}`;

/** A phone number unique to this run (+7 9xx …). */
export const uniquePhone = () => `+7977${String((Date.now() * 10 + ++counter) % 10_000_000).padStart(7, "0")}`;

/** Key screens are kept as artifacts under test-results/screens/. */
export async function keepScreenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/**
 * A person with a live session, made in the database directly: specs about houses need a
 * signed-in manager, not the SMS flow (auth.spec.ts drives that one through the browser).
 */
export async function newSession(phone = uniquePhone()) {
  const handle = createDb(process.env.E2E_DATABASE_URL!, { max: 1 });
  try {
    const { person } = await findOrCreatePerson(handle.db, phone);
    const { token } = await createSession(handle.db, person.id);
    return { token, phone: person.phone, inviteCode: person.inviteCode, workspaceId: person.personalWorkspaceId };
  } finally {
    await handle.close();
  }
}

export async function signInBrowser(context: BrowserContext, token: string, baseURL: string) {
  await context.addCookies([{ name: "kv_session", value: token, url: baseURL, httpOnly: true, sameSite: "Lax" }]);
}

/**
 * Every test of the spec runs signed in as a new person (`onSession` gets the token), and fails
 * when React reports a hydration error: the page is rendered on the server with its data, and
 * the browser must agree with it.
 */
export function signedInWithoutHydrationErrors(onSession: (token: string) => void) {
  let hydrationErrors: string[] = [];
  test.beforeEach(async ({ context, baseURL, page }) => {
    const { token } = await newSession();
    onSession(token);
    await signInBrowser(context, token, baseURL!);
    hydrationErrors = [];
    page.on("console", (m) => m.type() === "error" && /hydrat|#418|#423|#425/i.test(m.text()) && hydrationErrors.push(m.text()));
  });
  test.afterEach(() => expect(hydrationErrors).toEqual([]));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The last code the server "sent" to the phone (SMS_PROVIDER=file). */
export async function lastCode(phone: string): Promise<string> {
  const file = process.env.E2E_SMS_OUTBOX_FILE!;
  let code: string | undefined;
  await expect
    .poll(
      () => {
        if (!existsSync(file)) return undefined;
        const lines = readFileSync(file, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { phone: string; text: string });
        code = lines
          .filter((l) => l.phone === phone)
          .at(-1)
          ?.text.match(/\b(\d{6})\b/)?.[1];
        return code;
      },
      { message: `a code sent to ${phone}` },
    )
    .toBeTruthy();
  return code!;
}

export async function json(request: APIRequestContext, method: string, url: string, token: string, data?: unknown) {
  // A fresh connection per call: a kept-alive one left idle while the page worked (over the
  // server's 5 s keep-alive) can be closed by the server just as it is reused (ECONNRESET,
  // seen once in a fresh-clone CI run of tariffs.spec).
  const headers = { ...bearer(token), connection: "close", ...(data === undefined ? {} : { "content-type": "application/json" }) };
  const response = await request.fetch(url, { method, data, headers, maxRedirects: 0 });
  return { status: response.status(), body: response.status() === 204 ? null : await response.json() };
}

/** A POST that must succeed; its body. */
export async function post(request: APIRequestContext, token: string, url: string, data: unknown) {
  const { status, body } = await json(request, "POST", url, token, data);
  expect(status, `${url}: ${JSON.stringify(body)}`).toBeLessThan(300);
  return body;
}

/** Starts a billing run for the month and waits for the worker to complete it. */
export async function bill(request: APIRequestContext, token: string, houseId: number, period: string) {
  const run = await post(request, token, `/api/houses/${houseId}/billing-runs`, { period });
  await expect
    .poll(async () => (await json(request, "GET", `/api/billing-runs/${run.id}`, token)).body.status, { timeout: 30_000 })
    .toBe("completed");
}

/**
 * A new workspace bills wastewater (cold + hot as billed) wherever there are water meters; specs
 * about something else switch it off, so that their hand-worked amounts stay small.
 */
export async function withoutWastewater(request: APIRequestContext, token: string) {
  const services = (await json(request, "GET", "/api/services", token)).body.items as { id: number; code: string }[];
  const wastewater = services.find((s) => s.code === "wastewater")!;
  expect((await json(request, "PATCH", `/api/services/${wastewater.id}`, token, { active: false })).status).toBe(200);
}
