import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { session } from "../db/schema";
import { createSession } from "../lib/auth/sessions";
import { api } from "./helpers/api";
import { lastCode, signIn, type TestPerson } from "./helpers/auth";
import { db } from "./helpers/db";
import { apiError } from "./helpers/fixtures";

// A person's own sessions (issue 15): listed with their device, ended one by one or all but the
// current one; an ended session's token stops working at once. Sessions are made directly
// (tests/helpers/auth.ts) except where the sign-in itself is what is tested.

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

const as = (token: string) => ({ token });

/** Another live session of the same person, signed in from `userAgent`. */
async function anotherSession(person: TestPerson, userAgent: string | null = null) {
  return createSession(db(), person.personId, userAgent);
}

/** Whether the token still opens a signed-in endpoint. */
const works = async (token: string) => {
  const { status } = await api("GET", "/api/profile", undefined, as(token));
  expect([200, 401]).toContain(status);
  return status === 200;
};

/** The sessions table, to show that a refusal changed nothing. */
const sessionRows = () => db().execute(sql`select id, person_id, revoked_at, user_agent from session order by id`);

describe("sessions", () => {
  it("sign-in stores the client's user agent, cut to 300 characters", async () => {
    const phone = "+79993000001";
    expect((await api("POST", "/api/login", { phone }, { token: null, headers: { "x-forwarded-for": "198.51.100.1" } })).status).toBe(200);
    const res = await api("POST", "/api/verify", { phone, token: lastCode(phone) }, { token: null, headers: { "user-agent": FIREFOX } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const list = await api("GET", "/api/sessions", undefined, as(res.body.token));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      {
        id: expect.any(Number),
        device: FIREFOX,
        device_label: "Firefox on Linux",
        created_at: expect.any(String),
        last_seen: expect.any(String),
        current: true,
      },
    ]);

    const long = `${IPHONE} ${"x".repeat(400)}`;
    const again = "+79993000002";
    await api("POST", "/api/login", { phone: again }, { token: null, headers: { "x-forwarded-for": "198.51.100.2" } });
    const second = await api(
      "POST",
      "/api/verify",
      { phone: again, token: lastCode(again) },
      { token: null, headers: { "user-agent": long } },
    );
    expect(second.status).toBe(200);
    const [stored] = await db().select({ userAgent: session.userAgent }).from(session).where(eq(session.personId, second.body.user.id));
    expect(stored.userAgent).toBe(long.slice(0, 300));
  });

  it("lists only the caller's live sessions, the current one marked", async () => {
    const me = await signIn("+79993000010");
    const other = await signIn("+79993000011");
    const phone = await anotherSession(me, IPHONE);
    const ended = await anotherSession(me, FIREFOX);
    const expired = await anotherSession(me, FIREFOX);
    await db()
      .update(session)
      .set({ revokedAt: sql`now()` })
      .where(eq(session.id, ended.sessionId));
    await db()
      .update(session)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(session.id, expired.sessionId));
    await anotherSession(other, FIREFOX);

    const res = await api("GET", "/api/sessions", undefined, as(me.token));
    expect(res.status).toBe(200);
    const items = res.body.items as { id: number; device: string | null; device_label: string; current: boolean }[];
    expect(items.map((s) => s.id).sort()).toEqual([phone.sessionId, (await sessionOf(me.token))!].sort());
    expect(items.find((s) => s.id === phone.sessionId)).toMatchObject({ device: IPHONE, device_label: "Safari on iOS", current: false });
    expect(items.filter((s) => s.current).map((s) => s.device_label)).toEqual(["Unknown device"]);
  });

  it("ending one session makes its token fail at once; the caller's own stays", async () => {
    const me = await signIn("+79993000020");
    const laptop = await anotherSession(me, FIREFOX);
    expect(await works(laptop.token)).toBe(true);

    const res = await api("DELETE", `/api/sessions/${laptop.sessionId}`, undefined, as(me.token));
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await works(laptop.token)).toBe(false);
    expect(await works(me.token)).toBe(true);
    // already ended: not one of the live sessions any more
    expect((await api("DELETE", `/api/sessions/${laptop.sessionId}`, undefined, as(me.token))).body).toEqual(
      apiError("not_found", undefined, { reason: "session_not_found" }),
    );
  });

  it("ending the current session signs out like logout: the cookie is cleared", async () => {
    const me = await signIn("+79993000030");
    const current = (await sessionOf(me.token))!;
    const res = await api("DELETE", `/api/sessions/${current}`, undefined, as(me.token));
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/^kv_session=;.*Max-Age=0/);
    expect(await works(me.token)).toBe(false);
  });

  it("ending all other sessions keeps the current one working", async () => {
    const me = await signIn("+79993000040");
    const other = await signIn("+79993000041");
    const a = await anotherSession(me, FIREFOX);
    const b = await anotherSession(me, IPHONE);

    const res = await api("DELETE", "/api/sessions", undefined, as(me.token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ended: 2 });
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await works(a.token)).toBe(false);
    expect(await works(b.token)).toBe(false);
    expect(await works(me.token)).toBe(true);
    expect(await works(other.token)).toBe(true);
    const list = await api("GET", "/api/sessions", undefined, as(me.token));
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].current).toBe(true);

    // include_current: this one too, as logout
    const all = await api("DELETE", "/api/sessions?include_current=true", undefined, as(me.token));
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ ended: 1 });
    expect(all.headers.get("set-cookie")).toMatch(/^kv_session=;/);
    expect(await works(me.token)).toBe(false);
    expect(await works(other.token)).toBe(true);
  });

  it("another person's session is not found and stays live", async () => {
    const me = await signIn("+79993000050");
    const other = await signIn("+79993000051");
    const theirs = (await sessionOf(other.token))!;
    const before = await sessionRows();

    const res = await api("DELETE", `/api/sessions/${theirs}`, undefined, as(me.token));
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found", undefined, { reason: "session_not_found" }));
    expect((await sessionRows()).rows).toEqual(before.rows);
    expect(await works(other.token)).toBe(true);
  });

  it("API keys cannot list or end sessions", async () => {
    const me = await signIn("+79993000060");
    const key = await api("POST", "/api/api-keys", { name: "integration" }, as(me.token));
    expect(key.status).toBe(201);
    const current = (await sessionOf(me.token))!;
    const before = await sessionRows();
    for (const [method, url] of [
      ["GET", "/api/sessions"],
      ["DELETE", "/api/sessions"],
      ["DELETE", `/api/sessions/${current}`],
    ] as const) {
      const res = await api(method, url, undefined, as(key.body.key));
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body).toEqual(apiError("forbidden", undefined, { reason: "people_only" }));
    }
    expect((await sessionRows()).rows).toEqual(before.rows);
    expect(await works(me.token)).toBe(true);
  });

  it("without a session: 401", async () => {
    expect((await api("GET", "/api/sessions", undefined, { token: null })).status).toBe(401);
    expect((await api("DELETE", "/api/sessions/1", undefined, { token: null })).status).toBe(401);
  });

  it("a malformed flag is refused", async () => {
    const me = await signIn("+79993000070");
    const res = await api("DELETE", "/api/sessions?include_current=yes", undefined, as(me.token));
    expect(res.status).toBe(422);
    expect(await works(me.token)).toBe(true);
  });
});

/** The id of the session a token opens (through the list: the one marked current). */
async function sessionOf(token: string): Promise<number | undefined> {
  const res = await api("GET", "/api/sessions", undefined, as(token));
  return (res.body.items as { id: number; current: boolean }[]).find((s) => s.current)?.id;
}
