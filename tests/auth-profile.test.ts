import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { person, session, workspaceMember } from "../db/schema";
import { sha256Hex } from "../lib/auth/tokens";
import { api } from "./helpers/api";
import { signIn, type TestPerson } from "./helpers/auth";
import { db, preFill } from "./helpers/db";
import { apiError } from "./helpers/fixtures";

// The profile (invite codes and the workspaces they join), logout and the life of a session.

const unauthorized = apiError("unauthorized");
const INVITE_CODE = /^[A-HJ-NP-Z2-9]{6}$/;

let phones = 0;
const newPerson = () => signIn(`+7999300${String(++phones).padStart(4, "0")}`);

const as = (who: { token: string }) => ({ token: who.token });
const viaCookie = (token: string) => ({ token: null, headers: { cookie: `kv_session=${encodeURIComponent(token)}` } });
// Every activation comes from an address of its own unless a test is about the address limit:
// requests without X-Forwarded-For would all share the "unknown" address and its limit.
let addresses = 0;
const newAddress = () => `198.51.100.${++addresses}`;
const activate = (who: TestPerson, code: unknown, address = newAddress()) =>
  api("PATCH", "/api/profile", { foreign_invite_code: code }, { ...as(who), headers: { "x-forwarded-for": address } });
const profileOf = async (who: TestPerson) => (await api("GET", "/api/profile", undefined, as(who))).body;
const workspacesOf = async (who: TestPerson) =>
  (await api("GET", "/api/workspaces", undefined, as(who))).body.items as { id: number; role: string }[];

/** An invite code that nobody has. */
async function unusedInviteCode(): Promise<string> {
  for (const candidate of ["ZZZZZZ", "YYYYYY", "XXXXXX", "WWWWWW"]) {
    if ((await db().$count(person, eq(person.inviteCode, candidate))) === 0) return candidate;
  }
  throw new Error("no unused invite code among the candidates");
}

const sessionRow = async (token: string) =>
  (
    await db()
      .select()
      .from(session)
      .where(eq(session.tokenHash, sha256Hex(token)))
  )[0];

describe("GET /api/profile", () => {
  it("answers { phone, invite_code, foreign_invite_code, activated_your_code }", async () => {
    const me = await newPerson();

    const res = await api("GET", "/api/profile", undefined, as(me));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: me.personId,
      phone: me.phone,
      invite_code: me.inviteCode,
      foreign_invite_code: null,
      workspace_id: me.workspaceId,
      activated_your_code: [],
    });
    expect(res.body.invite_code).toMatch(INVITE_CODE);
  });
});

describe("PATCH /api/profile { foreign_invite_code }", () => {
  it("asks to join the colleague's workspace: pending, nothing visible until the colleague admits; then usable", async () => {
    const colleague = await newPerson();
    const me = await newPerson();
    const house = await api("POST", "/api/houses", { address: "ул. Коллеги, д. 1" }, as(colleague));
    expect(house.status).toBe(201);
    expect((await api("GET", `/api/houses/${house.body.id}`, undefined, as(me))).status).toBe(404);

    // Lowercase and surrounding spaces are accepted: codes are read aloud and typed by hand.
    const res = await activate(me, ` ${colleague.inviteCode.toLowerCase()} `);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: me.personId,
      phone: me.phone,
      invite_code: me.inviteCode,
      foreign_invite_code: colleague.inviteCode,
      workspace_id: me.workspaceId,
      activated_your_code: [],
    });
    expect(await workspacesOf(me)).toEqual([
      { id: me.workspaceId, name: expect.any(String), role: "owner", status: "active", personal: true, joined_at: expect.any(String) },
      {
        id: colleague.workspaceId,
        name: expect.any(String),
        role: "viewer",
        status: "pending",
        personal: false,
        joined_at: expect.any(String),
      },
    ]);
    expect((await api("GET", `/api/houses/${house.body.id}`, undefined, as(me))).status).toBe(404);

    // The colleague admits them (tests/members.test.ts has the whole of it).
    const admit = { status: "active", role: "accountant" };
    expect((await api("PATCH", `/api/workspaces/${colleague.workspaceId}/members/${me.personId}`, admit, as(colleague))).status).toBe(204);

    const list = await api("GET", "/api/houses", undefined, as(me));
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: house.body.id, workspace_id: colleague.workspaceId }));
    const read = await api("GET", `/api/houses/${house.body.id}`, undefined, as(me));
    expect(read.status).toBe(200);
    const renamed = await api("PATCH", `/api/houses/${house.body.id}`, { address: "ул. Коллеги, д. 1А" }, as(me));
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ address: "ул. Коллеги, д. 1А", workspace_id: colleague.workspaceId });
    const flat = await api("POST", `/api/houses/${house.body.id}/apartments`, { number: "7", area: "40.00" }, as(me));
    expect(flat.status).toBe(201);
    // The colleague sees what the member did.
    const seenByColleague = await api("GET", `/api/houses/${house.body.id}`, undefined, as(colleague));
    expect(seenByColleague.body).toMatchObject({
      address: "ул. Коллеги, д. 1А",
      apartments: [expect.objectContaining({ id: flat.body.id })],
    });
  });

  it("appears in the inviter's activated_your_code, for everyone who activated it", async () => {
    const inviter = await newPerson();
    const first = await newPerson();
    const second = await newPerson();

    expect((await activate(second, inviter.inviteCode)).status).toBe(200);
    expect((await activate(first, inviter.inviteCode)).status).toBe(200);

    const profile = await profileOf(inviter);
    expect([...profile.activated_your_code].sort()).toEqual([first.phone, second.phone].sort());
    // Joining is not mutual.
    expect(profile.foreign_invite_code).toBeNull();
    expect((await workspacesOf(inviter)).map((w) => w.id)).toEqual([inviter.workspaceId]);
  });

  it("two activations sent at once: one joins, the other is 409", async () => {
    const a = await newPerson();
    const b = await newPerson();
    const me = await newPerson();

    const results = await Promise.all([activate(me, a.inviteCode), activate(me, b.inviteCode)]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results[0].status === 200 ? a : b;
    expect((await profileOf(me)).foreign_invite_code).toBe(winner.inviteCode);
    expect((await workspacesOf(me)).map((w) => w.id)).toEqual([me.workspaceId, winner.workspaceId]);
  });

  it("a second activation is 409 conflict and changes nothing", async () => {
    const first = await newPerson();
    const other = await newPerson();
    const me = await newPerson();
    expect((await activate(me, first.inviteCode)).status).toBe(200);

    for (const code of [other.inviteCode, first.inviteCode]) {
      const res = await activate(me, code);
      expect(res.status, code).toBe(409);
      expect(res.body, code).toEqual(apiError("conflict", { foreign_invite_code: expect.any(String) }));
    }

    expect((await profileOf(me)).foreign_invite_code).toBe(first.inviteCode);
    expect((await workspacesOf(me)).map((w) => w.id)).toEqual([me.workspaceId, first.workspaceId]);
    expect((await profileOf(other)).activated_your_code).toEqual([]);
  });

  it("one's own code is 422 (in any case) and changes nothing", async () => {
    const me = await newPerson();

    for (const code of [me.inviteCode, me.inviteCode.toLowerCase()]) {
      const res = await activate(me, code);
      expect(res.status, code).toBe(422);
      expect(res.body, code).toEqual(apiError("validation_failed", { foreign_invite_code: expect.any(String) }));
      expect(res.body.error.message).toMatch(/own/i);
    }

    expect(await profileOf(me)).toMatchObject({ foreign_invite_code: null, activated_your_code: [] });
    expect(await workspacesOf(me)).toHaveLength(1);
  });

  it("an unknown code is 422 with a message naming it, and changes nothing", async () => {
    const me = await newPerson();
    const code = await unusedInviteCode();

    const res = await activate(me, code);

    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { foreign_invite_code: expect.any(String) }));
    expect(res.body.error.message).toContain(code);
    expect((await profileOf(me)).foreign_invite_code).toBeNull();
    expect(await workspacesOf(me)).toHaveLength(1);
  });

  it.each([["ABC"], ["ABCDEFG"], ["ABCDE0"], ["ABCDEO"], ["ABCDE1"], ["ABCDEI"], ["ABC-EF"], [""], [123456], [null]])(
    "a malformed code %j is 422 on fields.foreign_invite_code",
    async (code) => {
      const me = await newPerson();
      const res = await activate(me, code);
      expect(res.status).toBe(422);
      expect(res.body).toEqual(apiError("validation_failed", { foreign_invite_code: expect.any(String) }));
      expect((await profileOf(me)).foreign_invite_code).toBeNull();
    },
  );

  it("refuses unknown fields with 422", async () => {
    const me = await newPerson();
    const res = await api("PATCH", "/api/profile", { phone: "+79990009999" }, as(me));
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", { phone: expect.any(String), foreign_invite_code: expect.any(String) }));
    expect((await profileOf(me)).phone).toBe(me.phone);
  });
});

describe("PATCH /api/profile: limits on guessing invite codes", () => {
  /** The counts of the person's and the address's buckets, to show a refused request added nothing. */
  const hits = async (bucketPrefix: string) =>
    (
      await db().execute<{ hits: number }>(
        sql`select coalesce(sum(hits), 0)::int as hits from rate_limit where bucket like ${`${bucketPrefix}:%`}`,
      )
    ).rows[0].hits;

  it("5 tries a minute per person: the 6th is 429 with retry_after and Retry-After, counts nothing, and even a right code waits", async () => {
    const colleague = await newPerson();
    const me = await newPerson();
    const guess = await unusedInviteCode();
    for (let i = 1; i <= 5; i++) expect((await activate(me, guess)).status, `try ${i}`).toBe(422);
    const person = await hits(`invite:person:${me.personId}`);

    const refused = await activate(me, colleague.inviteCode);

    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      error: {
        code: "rate_limited",
        reason: "invite_limit_person",
        message: expect.stringMatching(/invite codes tried by you/),
        params: { retry_after: expect.any(Number) },
        retry_after: expect.any(Number),
      },
    });
    expect(refused.body.error.retry_after).toBeGreaterThanOrEqual(1);
    expect(refused.body.error.retry_after).toBeLessThanOrEqual(60);
    expect(refused.headers.get("retry-after")).toBe(String(refused.body.error.retry_after));
    expect(await hits(`invite:person:${me.personId}`)).toBe(person);
    expect(await profileOf(me)).toMatchObject({ foreign_invite_code: null });
    expect(await workspacesOf(me)).toHaveLength(1);
  });

  it("20 tries an hour per person: with 20 in this hour the next is refused, though the minute is fresh", async () => {
    const colleague = await newPerson();
    const me = await newPerson();
    await preFill(`invite:person:${me.personId}`, 3600, 20);
    const refused = await activate(me, colleague.inviteCode);
    expect(refused.status).toBe(429);
    expect(refused.body.error.retry_after).toBeLessThanOrEqual(3600);
    await preFill(`invite:person:${me.personId}`, 3600, 19);
    expect((await activate(me, colleague.inviteCode)).status).toBe(200);
  });

  it("10 tries a minute per client address (the X-Forwarded-For entry our proxy added), whoever tries; other addresses go on", async () => {
    const colleague = await newPerson();
    const guess = await unusedInviteCode();
    const address = "203.0.113.77";
    // Different people, and whatever the client wrote on the left of the header: one address.
    for (let i = 1; i <= 10; i++) {
      const someone = await newPerson();
      expect((await activate(someone, guess, `192.0.2.${i}, ${address}`)).status, `try ${i}`).toBe(422);
    }
    const me = await newPerson();
    const before = await hits(`invite:person:${me.personId}`);

    const refused = await activate(me, colleague.inviteCode, address);

    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/from your network address/);
    expect(refused.headers.get("retry-after")).toBe(String(refused.body.error.retry_after));
    // Refused for its address, it used up none of the person's own tries.
    expect(await hits(`invite:person:${me.personId}`)).toBe(before);
    expect((await activate(me, colleague.inviteCode, "203.0.113.78")).status).toBe(200);
  });

  it("50 tries an hour per client address", async () => {
    const colleague = await newPerson();
    const me = await newPerson();
    await preFill("invite:address:203.0.113.90", 3600, 50);
    expect((await activate(me, colleague.inviteCode, "203.0.113.90")).status).toBe(429);
    expect((await activate(me, colleague.inviteCode, "203.0.113.91")).status).toBe(200);
  });

  it("parallel guesses cannot get past the 5 a minute", async () => {
    const me = await newPerson();
    const guess = await unusedInviteCode();
    const results = await Promise.all(Array.from({ length: 12 }, () => activate(me, guess)));
    expect(results.map((r) => r.status).sort()).toEqual([...Array(5).fill(422), ...Array(7).fill(429)]);
  });

  it("a malformed code is refused before it counts: no guess is spent on a typo", async () => {
    const colleague = await newPerson();
    const me = await newPerson();
    for (let i = 0; i < 8; i++) expect((await activate(me, "ABC")).status).toBe(422);
    expect(await hits(`invite:person:${me.personId}`)).toBe(0);
    expect((await activate(me, colleague.inviteCode)).status).toBe(200);
  });
});

describe("invite codes", () => {
  it("are unique across many people and use A–Z, 2–9 without 0/O/1/I", async () => {
    const people: TestPerson[] = [];
    for (let i = 0; i < 150; i++) people.push(await newPerson());
    const codes = people.map((p) => p.inviteCode);

    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(INVITE_CODE);
    const {
      rows: [{ n, distinct }],
    } = await db().execute<{ n: number; distinct: number }>(
      sql`select count(*)::int as n, count(distinct invite_code)::int as distinct from person`,
    );
    expect(distinct).toBe(n);
  });
});

describe("POST /api/logout", () => {
  it("revokes the cookie session at once and clears the cookie", async () => {
    const me = await newPerson();

    const res = await api("POST", "/api/logout", undefined, viaCookie(me.token));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: expect.any(String) });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^kv_session=;/);
    expect(cookie).toMatch(/;\s*Max-Age=0(;|$)/);
    expect((await sessionRow(me.token)).revokedAt).not.toBeNull();

    const afterCookie = await api("GET", "/api/profile", undefined, viaCookie(me.token));
    expect(afterCookie.status).toBe(401);
    expect(afterCookie.body).toEqual(unauthorized);
    const afterBearer = await api("GET", "/api/profile", undefined, as(me));
    expect(afterBearer.status).toBe(401);
    expect(afterBearer.body).toEqual(unauthorized);
    const again = await api("POST", "/api/logout", undefined, viaCookie(me.token));
    expect(again.status).toBe(401);
  });

  it("revokes a bearer session, and only that session of the person", async () => {
    const me = await newPerson();
    const otherDevice = await signIn(me.phone);
    expect(otherDevice.personId).toBe(me.personId);

    const res = await api("POST", "/api/logout", undefined, as(me));

    expect(res.status).toBe(200);
    expect((await api("GET", "/api/houses", undefined, as(me))).status).toBe(401);
    expect((await api("GET", "/api/profile", undefined, as(otherDevice))).status).toBe(200);
  });
});

describe("sessions", () => {
  it("last 30 days", async () => {
    const me = await newPerson();
    const {
      rows: [row],
    } = await db().execute<{ days: number }>(
      sql`select round(extract(epoch from expires_at - now()) / 86400)::int as days from session where token_hash = ${sha256Hex(me.token)}`,
    );
    expect(row.days).toBe(30);
  });

  it("an expired session is 401 as a Bearer token and as the cookie, and is not revived", async () => {
    const me = await newPerson();
    await db().execute(sql`update session set expires_at = now() - interval '1 second' where token_hash = ${sha256Hex(me.token)}`);

    const bearer = await api("GET", "/api/profile", undefined, as(me));
    const cookie = await api("GET", "/api/profile", undefined, viaCookie(me.token));

    expect(bearer.status).toBe(401);
    expect(bearer.body).toEqual(unauthorized);
    expect(cookie.status).toBe(401);
    expect(cookie.body).toEqual(unauthorized);
    const {
      rows: [row],
    } = await db().execute<{ expired: boolean }>(
      sql`select expires_at <= now() as expired from session where token_hash = ${sha256Hex(me.token)}`,
    );
    expect(row.expired).toBe(true);
  });

  it("slides: a session not used for a while is renewed for 30 days and the cookie is sent again", async () => {
    const me = await newPerson();
    await db().execute(sql`
      update session set last_used_at = now() - interval '2 hours', expires_at = now() + interval '1 minute'
      where token_hash = ${sha256Hex(me.token)}`);

    const res = await api("GET", "/api/profile", undefined, viaCookie(me.token));

    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie.startsWith(`kv_session=${encodeURIComponent(me.token)};`)).toBe(true);
    expect(cookie).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax(;|$)/i);
    expect(cookie).toMatch(/;\s*Max-Age=2592000(;|$)/);
    const {
      rows: [row],
    } = await db().execute<{ days: number; fresh: boolean }>(sql`
      select round(extract(epoch from expires_at - now()) / 86400)::int as days, last_used_at > now() - interval '1 minute' as fresh
      from session where token_hash = ${sha256Hex(me.token)}`);
    expect(row).toEqual({ days: 30, fresh: true });
  });

  it("slides for a Bearer token too, without a cookie", async () => {
    const me = await newPerson();
    await db().execute(sql`
      update session set last_used_at = now() - interval '2 hours', expires_at = now() + interval '1 minute'
      where token_hash = ${sha256Hex(me.token)}`);

    const res = await api("GET", "/api/houses", undefined, as(me));

    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    const {
      rows: [row],
    } = await db().execute<{ days: number }>(
      sql`select round(extract(epoch from expires_at - now()) / 86400)::int as days from session where token_hash = ${sha256Hex(me.token)}`,
    );
    expect(row.days).toBe(30);
  });

  it("a session used a moment ago is not renewed on every request", async () => {
    const me = await newPerson();
    const before = await sessionRow(me.token);

    const res = await api("GET", "/api/profile", undefined, viaCookie(me.token));

    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect((await sessionRow(me.token)).expiresAt).toEqual(before.expiresAt);
  });

  it("an admission is in the scope of sessions opened before it", async () => {
    const colleague = await newPerson();
    const me = await newPerson();
    const house = await api("POST", "/api/houses", { address: "ул. Ранняя, д. 2" }, as(colleague));

    expect((await activate(me, colleague.inviteCode)).status).toBe(200);
    const [request] = await db()
      .select()
      .from(workspaceMember)
      .where(and(eq(workspaceMember.workspaceId, colleague.workspaceId), eq(workspaceMember.personId, me.personId)));
    expect(request).toMatchObject({ status: "pending", role: "viewer", decidedById: null });
    expect((await api("GET", `/api/houses/${house.body.id}`, undefined, as(me))).status).toBe(404);

    const admit = { status: "active", role: "accountant" };
    expect((await api("PATCH", `/api/workspaces/${colleague.workspaceId}/members/${me.personId}`, admit, as(colleague))).status).toBe(204);

    expect((await api("GET", `/api/houses/${house.body.id}`, undefined, as(me))).status).toBe(200);
  });
});
