import { existsSync, readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loginCode, person, session, workspace, workspaceMember } from "../db/schema";
import { sha256Hex } from "../lib/auth/tokens";
import { api } from "./helpers/api";
import { lastCode, signIn } from "./helpers/auth";
import { db, preFill } from "./helpers/db";
import { apiError } from "./helpers/fixtures";

// The sign-in flow through the API: POST /api/login sends a code (read here from the test SMS
// outbox), POST /api/verify exchanges it for a session. Rate limits are kept in PostgreSQL,
// so tests age or pre-fill rate_limit rows instead of waiting.

const INVITE_CODE = /^[A-HJ-NP-Z2-9]{6}$/;

let phones = 0;
/** A phone no other test of this file uses, E.164. */
const newPhone = () => `+7999200${String(++phones).padStart(4, "0")}`;

// Every request gets an address of its own unless a test is about the address limit: all
// requests without X-Forwarded-For would share the "unknown" address and its limit.
let addresses = 0;
const newAddress = () => `198.51.100.${++addresses}`;

const requestCode = (phone: string, address = newAddress()) =>
  api("POST", "/api/login", { phone }, { token: null, headers: { "x-forwarded-for": address } });
const verify = (phone: string, token: string | number) => api("POST", "/api/verify", { phone, token }, { token: null });

/** Messages the SMS outbox holds for the phone (for any phone without one). */
function sentTo(phone?: string): number {
  const file = process.env.SMS_OUTBOX_FILE!;
  if (!existsSync(file)) return 0;
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .filter((line) => phone === undefined || (JSON.parse(line) as { phone: string }).phone === phone).length;
}

/** Requests a code and returns it; fails the test if the API refuses. */
async function codeFor(phone: string): Promise<string> {
  const res = await requestCode(phone);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const code = lastCode(phone);
  expect(code).toMatch(/^\d{6}$/);
  return code!;
}

async function signInThroughApi(phone: string) {
  const res = await verify(phone, await codeFor(phone));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

/** A code that is not the right one. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

/** Lets the next code be requested at once (the limits themselves have their own tests). */
const forgetRateLimits = () => db().execute(sql`delete from rate_limit`);

async function codeRow(phone: string) {
  const [row] = await db().select().from(loginCode).where(eq(loginCode.phone, phone));
  return row;
}

const profileAs = (options: { token?: string | null; headers?: Record<string, string> }) => api("GET", "/api/profile", undefined, options);

describe("the sign-in flow", () => {
  it("sends a 6-digit code, exchanges it for a session token and an HttpOnly SameSite=Lax cookie", async () => {
    const phone = newPhone();

    const login = await requestCode(phone);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ detail: expect.any(String) });
    const code = lastCode(phone);
    expect(code).toMatch(/^\d{6}$/);
    expect(sentTo(phone)).toBe(1);

    const res = await verify(phone, code!);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: expect.stringMatching(/^kvs_[A-Za-z0-9_-]{20,}$/),
      user: { id: expect.any(Number), phone, invite_code: expect.stringMatching(INVITE_CODE), workspace_id: expect.any(Number) },
      registered: true,
    });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie.startsWith(`kv_session=${encodeURIComponent(res.body.token)};`)).toBe(true);
    expect(cookie).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax(;|$)/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/);
  });

  it("the session token works as a Bearer token and as the kv_session cookie", async () => {
    const phone = newPhone();
    const { body } = await signInThroughApi(phone);
    const expected = { id: body.user.id, phone, invite_code: body.user.invite_code, foreign_invite_code: null, activated_your_code: [] };

    const bearer = await profileAs({ token: body.token });
    expect(bearer.status).toBe(200);
    expect(bearer.body).toMatchObject(expected);

    const cookie = await profileAs({ token: null, headers: { cookie: `theme=dark; kv_session=${encodeURIComponent(body.token)}` } });
    expect(cookie.status).toBe(200);
    expect(cookie.body).toMatchObject(expected);
  });

  it("registers on the first verify: a personal workspace owned by the person and an invite code", async () => {
    const phone = newPhone();
    const workspacesBefore = await db().$count(workspace);

    const { body } = await signInThroughApi(phone);

    expect(body.registered).toBe(true);
    expect(body.user.invite_code).toMatch(INVITE_CODE);
    expect(await db().$count(workspace)).toBe(workspacesBefore + 1);
    const [me] = await db().select().from(person).where(eq(person.phone, phone));
    expect(me).toMatchObject({ id: body.user.id, inviteCode: body.user.invite_code, personalWorkspaceId: body.user.workspace_id });
    const members = await db().select().from(workspaceMember).where(eq(workspaceMember.personId, me.id));
    expect(members).toEqual([expect.objectContaining({ workspaceId: body.user.workspace_id, role: "owner" })]);

    const workspaces = await api("GET", "/api/workspaces", undefined, { token: body.token });
    expect(workspaces.status).toBe(200);
    expect(workspaces.body.items).toEqual([
      {
        id: body.user.workspace_id,
        name: expect.any(String),
        role: "owner",
        status: "active",
        personal: true,
        joined_at: expect.any(String),
      },
    ]);
  });

  it("a second sign-in of the same phone finds the person instead of registering again", async () => {
    const phone = newPhone();
    const first = await signInThroughApi(phone);
    const workspacesBefore = await db().$count(workspace);
    await forgetRateLimits();

    const second = await signInThroughApi(phone);

    expect(second.body.registered).toBe(false);
    expect(second.body.user).toEqual(first.body.user);
    expect(second.body.token).not.toBe(first.body.token);
    expect(await db().$count(workspace)).toBe(workspacesBefore);
    expect(await db().$count(person, eq(person.phone, phone))).toBe(1);
    // Both sessions live side by side.
    expect((await profileAs({ token: first.body.token })).status).toBe(200);
    expect((await profileAs({ token: second.body.token })).status).toBe(200);
  });

  it("concurrent first sign-ins of one phone register one person", async () => {
    const phone = newPhone();
    const workspacesBefore = await db().$count(workspace);

    const people = await Promise.all(Array.from({ length: 5 }, () => signIn(phone)));

    expect(new Set(people.map((p) => p.personId)).size).toBe(1);
    expect(await db().$count(person, eq(person.phone, phone))).toBe(1);
    expect(await db().$count(workspace)).toBe(workspacesBefore + 1);
  });
});

describe("phone numbers", () => {
  it('"8 (999) 123-45-67" and "+79991234567" are the same person', async () => {
    const res = await requestCode("8 (999) 123-45-67");
    expect(res.status).toBe(200);
    expect(lastCode("+79991234567")).toMatch(/^\d{6}$/);
    const first = await verify("+7 999 123 45 67", lastCode("+79991234567")!);
    expect(first.status).toBe(200);
    expect(first.body.user.phone).toBe("+79991234567");
    await forgetRateLimits();

    await requestCode("+79991234567");
    const second = await verify("8 (999) 123-45-67", lastCode("+79991234567")!);

    expect(second.status).toBe(200);
    expect(second.body.registered).toBe(false);
    expect(second.body.user.id).toBe(first.body.user.id);
  });

  it("the rate limit of a phone applies whichever way it is written", async () => {
    expect((await requestCode("8 (999) 765-43-21")).status).toBe(200);
    const again = await requestCode("+79997654321");
    expect(again.status).toBe(429);
    expect(again.body).toEqual({ error: expect.objectContaining({ code: "rate_limited" }) });
  });

  it.each([["12345"], ["+7 999 123"], ["not a phone"], [""], ["+7999123456789"], ["8".repeat(41)]])(
    "POST /api/login refuses %j with 422 fields.phone and sends nothing",
    async (phone) => {
      const sent = sentTo();
      const res = await requestCode(phone);
      expect(res.status).toBe(422);
      expect(res.body).toEqual(apiError("validation_failed", { phone: expect.any(String) }));
      expect(sentTo()).toBe(sent);
    },
  );

  it("POST /api/login refuses a missing or non-text phone with 422 fields.phone", async () => {
    for (const body of [{}, { phone: 79991234567 }, { phone: null }]) {
      const res = await api("POST", "/api/login", body, { token: null, headers: { "x-forwarded-for": newAddress() } });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body, JSON.stringify(body)).toEqual(apiError("validation_failed", { phone: expect.any(String) }));
    }
  });

  it("POST /api/verify refuses an invalid phone with 422 fields.phone", async () => {
    const res = await verify("12345", "123456");
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { phone: expect.any(String) }));
  });
});

describe("one-time codes", () => {
  it("are 6 digits; a token that is not 6 digits is a 422 on fields.token and costs no attempt", async () => {
    const phone = newPhone();
    const code = await codeFor(phone);

    for (const token of ["12345", "1234567", "abcdef", ""]) {
      const res = await verify(phone, token);
      expect(res.status, token).toBe(422);
      expect(res.body, token).toEqual(apiError("validation_failed", { token: expect.any(String) }));
    }

    expect((await codeRow(phone)).attempts).toBe(0);
    expect((await verify(phone, code)).status).toBe(200);
  });

  it("an expired code is refused even when it is right", async () => {
    const phone = newPhone();
    const code = await codeFor(phone);
    await db().execute(sql`update login_code set expires_at = now() - interval '1 second' where phone = ${phone}`);

    const res = await verify(phone, code);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("invalid_code"));
    expect(res.body.error.message).toMatch(/expired/i);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await db().$count(person, eq(person.phone, phone))).toBe(0);
  });

  it("is valid for 5 minutes", async () => {
    const phone = newPhone();
    await codeFor(phone);
    const {
      rows: [row],
    } = await db().execute<{ minutes: number }>(
      sql`select round(extract(epoch from expires_at - created_at) / 60)::int as minutes from login_code where phone = ${phone}`,
    );
    expect(row.minutes).toBe(5);
  });

  it("dies after 5 wrong attempts, counted across requests, and then refuses even the right code", async () => {
    const phone = newPhone();
    const code = await codeFor(phone);

    for (let attempt = 1; attempt <= 4; attempt++) {
      const res = await verify(phone, wrong(code));
      expect(res.status, `attempt ${attempt}`).toBe(422);
      expect(res.body, `attempt ${attempt}`).toEqual(apiError("invalid_code"));
      expect(res.body.error.message).toContain(`${5 - attempt} attempt`);
      expect((await codeRow(phone)).attempts).toBe(attempt);
    }
    const fifth = await verify(phone, wrong(code));
    expect(fifth.status).toBe(429);
    expect(fifth.body).toEqual(apiError("rate_limited"));
    expect((await codeRow(phone)).attempts).toBe(5);

    const right = await verify(phone, code);

    expect(right.status).toBe(429);
    expect(right.body).toEqual(apiError("rate_limited"));
    expect(right.body.error.message).toMatch(/attempts/i);
    expect(right.body.error.message).toMatch(/request a new/i);
    expect(right.headers.get("set-cookie")).toBeNull();
    expect(await db().$count(person, eq(person.phone, phone))).toBe(0);
  });

  it("parallel wrong guesses cannot use more than the 5 attempts", async () => {
    const phone = newPhone();
    const code = await codeFor(phone);
    const guesses = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));

    const results = await Promise.all(guesses.map((guess) => verify(phone, guess)));

    expect(results.filter((r) => r.status === 422)).toHaveLength(4);
    expect(results.filter((r) => r.status === 429)).toHaveLength(8);
    expect((await codeRow(phone)).attempts).toBe(5);
    expect((await verify(phone, code)).status).toBe(429);
  });

  it("a new code after the lock works again", async () => {
    const phone = newPhone();
    const dead = await codeFor(phone);
    await db().execute(sql`update login_code set attempts = 5 where phone = ${phone}`);
    expect((await verify(phone, dead)).status).toBe(429);
    await forgetRateLimits();

    const res = await verify(phone, await codeFor(phone));

    expect(res.status).toBe(200);
  });

  it("a used code cannot be replayed", async () => {
    const phone = newPhone();
    const code = await codeFor(phone);
    expect((await verify(phone, code)).status).toBe(200);

    const replay = await verify(phone, code);

    expect(replay.status).toBe(422);
    expect(replay.body).toEqual(apiError("invalid_code"));
    expect(replay.headers.get("set-cookie")).toBeNull();
    expect(await codeRow(phone)).toBeUndefined();
  });

  it("the same code sent twice at once signs in only once", async () => {
    const phone = newPhone();
    const code = await codeFor(phone);

    const results = await Promise.all([verify(phone, code), verify(phone, code), verify(phone, code)]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 422, 422]);
    expect(await db().$count(session, eq(session.personId, results.find((r) => r.status === 200)!.body.user.id))).toBe(1);
  });

  it("a new code replaces the old one", async () => {
    const phone = newPhone();
    const old = await codeFor(phone);
    await forgetRateLimits();
    const current = await codeFor(phone);
    expect(current).not.toBe(old);
    expect(sentTo(phone)).toBe(2);

    const withOld = await verify(phone, old);
    expect(withOld.status).toBe(422);
    expect(withOld.body).toEqual(apiError("invalid_code"));

    const withCurrent = await verify(phone, current);
    expect(withCurrent.status).toBe(200);
  });

  it("a code sent to phone A does not sign in phone B", async () => {
    const a = newPhone();
    const b = newPhone();
    const codeA = await codeFor(a);

    // B never asked for a code.
    const noCode = await verify(b, codeA);
    expect(noCode.status).toBe(422);
    expect(noCode.body).toEqual(apiError("invalid_code"));

    // B has a code of its own.
    const codeB = await codeFor(b);
    expect(codeB).not.toBe(codeA);
    const crossed = await verify(b, codeA);
    expect(crossed.status).toBe(422);
    expect(crossed.body).toEqual(apiError("invalid_code"));

    expect(await db().$count(person, eq(person.phone, b))).toBe(0);
    expect((await verify(a, codeA)).body.user.phone).toBe(a);
    expect((await verify(b, codeB)).body.user.phone).toBe(b);
  });
});

describe("the code as a JSON integer (clients written for the seed's README)", () => {
  /** The phone as the seed's README wrote it: "89990001133". */
  const seedStyle = (phone: string) => `8${phone.slice(2)}`;

  it("signs in, a code with a leading zero included: 42135 is the code 042135", async () => {
    // Codes are random: ask for new phones' codes until one starts with 0 (one in ten does).
    let phone = newPhone();
    let code = await codeFor(phone);
    for (let tries = 1; !code.startsWith("0"); tries++) {
      expect(tries, "no code with a leading zero in 300 tries").toBeLessThan(300);
      phone = newPhone();
      code = await codeFor(phone);
    }
    const res = await verify(seedStyle(phone), Number(code));
    expect(String(Number(code))).not.toBe(code); // the JSON number has lost the zero
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ user: { phone }, registered: true });
    expect((await api("GET", "/api/profile", undefined, { token: res.body.token })).status).toBe(200);
  });

  it("signs in with a code without a leading zero sent as an integer", async () => {
    const phone = newPhone();
    let code = await codeFor(phone);
    // A code without a leading zero, so that the integer is the same six digits.
    while (code.startsWith("0")) {
      await forgetRateLimits();
      code = await codeFor(phone);
    }
    const res = await verify(seedStyle(phone), Number(code));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user.phone).toBe(phone);
  });

  it("counts wrong integers against the same five attempts as text, then refuses even the right one", async () => {
    const phone = newPhone();
    const code = await codeFor(phone);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const res = await verify(phone, Number(wrong(code)));
      expect(res.status, `attempt ${attempt}`).toBe(422);
      expect(res.body, `attempt ${attempt}`).toEqual(apiError("invalid_code"));
      expect((await codeRow(phone)).attempts).toBe(attempt);
    }
    // Text and integers share the count.
    const fifth = await verify(phone, wrong(code));
    expect(fifth.status).toBe(429);
    expect((await codeRow(phone)).attempts).toBe(5);
    expect((await verify(phone, Number(code))).status).toBe(429);
    expect(await db().$count(person, eq(person.phone, phone))).toBe(0);
  });

  it.each([[1_000_000], [-1], [1.5], [12345.0001], [true], [null], [[123456]]])(
    "%j is a 422 on fields.token and costs no attempt",
    async (token) => {
      const phone = newPhone();
      const code = await codeFor(phone);
      const res = await api("POST", "/api/verify", { phone, token }, { token: null });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(apiError("validation_failed", { token: expect.stringMatching(/6-digit code/) }));
      expect((await codeRow(phone)).attempts).toBe(0);
      expect((await verify(phone, Number(code))).status).toBe(200);
    },
  );
});

describe("secrets at rest", () => {
  it("login_code holds only a salted hash of the code", async () => {
    const phone = newPhone();
    const code = await codeFor(phone);

    const row = await codeRow(phone);

    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(row.codeHash).not.toBe(sha256Hex(code));
    const {
      rows: [{ text }],
    } = await db().execute<{ text: string }>(sql`select t::text as text from login_code t where phone = ${phone}`);
    expect(text).not.toContain(code);
  });

  it("session and api_key hold only hashes of the session token and of the key", async () => {
    const { body } = await signInThroughApi(newPhone());
    const created = await api("POST", "/api/api-keys", { name: "at rest" }, { token: body.token });
    expect(created.status).toBe(201);
    const key: string = created.body.key;

    const [s] = await db()
      .select()
      .from(session)
      .where(eq(session.tokenHash, sha256Hex(body.token)));
    expect(s.personId).toBe(body.user.id);
    const { rows: sessionsHolding } = await db().execute(sql`select 1 from session t where strpos(t::text, ${body.token}) > 0`);
    expect(sessionsHolding).toHaveLength(0);
    const { rows: keysHolding } = await db().execute(sql`select 1 from api_key t where strpos(t::text, ${key}) > 0`);
    expect(keysHolding).toHaveLength(0);
    const {
      rows: [k],
    } = await db().execute<{ key_hash: string }>(sql`select key_hash from api_key where id = ${created.body.id}`);
    expect(k.key_hash).toBe(sha256Hex(key));
  });
});

/** A 429 body: the reason, a message, and the seconds to wait (in params too, for the pages). */
const rateLimited = (reason: string, message: unknown) => ({
  error: { code: "rate_limited", reason, message, params: { retry_after: expect.any(Number) }, retry_after: expect.any(Number) },
});

describe("rate limits on POST /api/login", () => {
  it("a second code for the same phone within a minute is 429 rate_limited with retry_after and Retry-After, and sends nothing", async () => {
    const phone = newPhone();
    const code = await codeFor(phone);

    const res = await requestCode(phone);

    expect(res.status).toBe(429);
    expect(res.body).toEqual(rateLimited("login_limit_phone", expect.any(String)));
    const retryAfter = res.body.error.retry_after as number;
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers.get("retry-after")).toBe(String(retryAfter));
    expect(sentTo(phone)).toBe(1);
    // The refused request did not replace the code that was sent.
    expect((await verify(phone, code)).status).toBe(200);
  });

  it("allows ten codes an hour per phone: with ten in this hour's window the next is refused", async () => {
    const phone = newPhone();
    await preFill(`login:phone:${phone}`, 3600, 10);

    const res = await requestCode(phone);

    expect(res.status).toBe(429);
    expect(res.body).toEqual(rateLimited("login_limit_phone", expect.stringContaining("phone")));
    expect(res.body.error.retry_after).toBeGreaterThanOrEqual(1);
    expect(res.body.error.retry_after).toBeLessThanOrEqual(3600);
    expect(res.headers.get("retry-after")).toBe(String(res.body.error.retry_after));
    expect(sentTo(phone)).toBe(0);
    expect(await codeRow(phone)).toBeUndefined();
  });

  it("limits codes per client address (X-Forwarded-For), whatever the phone", async () => {
    const address = "203.0.113.50";
    const accepted: number[] = [];
    for (let i = 0; i < 5; i++) accepted.push((await requestCode(newPhone(), address)).status);
    expect(accepted).toEqual([200, 200, 200, 200, 200]);
    const phone = newPhone();

    const res = await requestCode(phone, address);

    expect(res.status).toBe(429);
    expect(res.body).toEqual(rateLimited("login_limit_address", expect.stringContaining("address")));
    expect(res.headers.get("retry-after")).toBe(String(res.body.error.retry_after));
    expect(sentTo(phone)).toBe(0);
    // What the client wrote on the left of X-Forwarded-For does not make it another client:
    // the proxy's entry, on the right, is its address.
    expect((await requestCode(newPhone(), "198.51.100.9, 203.0.113.50")).status).toBe(429);
    // Another address is not affected.
    expect((await requestCode(newPhone(), "203.0.113.50, 203.0.113.51")).status).toBe(200);
  });

  it("limits codes per client address per hour", async () => {
    const address = "203.0.113.60";
    await preFill(`login:address:${address}`, 3600, 30);
    const phone = newPhone();

    const res = await requestCode(phone, address);

    expect(res.status).toBe(429);
    expect(res.body).toEqual(rateLimited("login_limit_address", expect.stringContaining("address")));
    expect(sentTo(phone)).toBe(0);
  });

  it("a request refused for its address leaves the phone's own quota untouched", async () => {
    const address = "203.0.113.70";
    await preFill(`login:address:${address}`, 60, 5);
    const phone = newPhone();
    expect((await requestCode(phone, address)).status).toBe(429);

    const res = await requestCode(phone, "203.0.113.71");

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(sentTo(phone)).toBe(1);
  });

  it("parallel requests for one phone send exactly one code", async () => {
    const phone = newPhone();

    const results = await Promise.all(Array.from({ length: 6 }, () => requestCode(phone)));

    expect(results.map((r) => r.status).sort()).toEqual([200, 429, 429, 429, 429, 429]);
    expect(sentTo(phone)).toBe(1);
  });
});

describe("review fixes", () => {
  it("caps the codes the whole installation sends per hour, whatever the phone or address", async () => {
    await forgetRateLimits();
    await preFill("login:all", 3600, 1000);
    const res = await api(
      "POST",
      "/api/login",
      { phone: "+79990005566" },
      { token: null, headers: { "x-forwarded-for": "198.51.100.77" } },
    );
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: "rate_limited", message: expect.stringContaining("service as a whole") });
    expect(lastCode("+79990005566")).toBeNull();
    await forgetRateLimits();
  });

  it("answers a malformed session cookie with 401, not a server error", async () => {
    const res = await api("GET", "/api/houses", undefined, { token: null, headers: { cookie: "kv_session=%E0%A4%A" } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });
});
