import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApiKey } from "../lib/auth/api-keys";
import { api } from "./helpers/api";
import { joinWorkspace, signIn, type TestPerson } from "./helpers/auth";
import { db, historySince, lastHistoryId, snapshot } from "./helpers/db";

// Invite activations wait for the owner (issue 15): pending until admitted with a role or
// declined, unseen meanwhile; the owner's members API; API keys with a role.

let phones = 0;
const newPerson = () => signIn(`+7999500${String(++phones).padStart(4, "0")}`);
let addresses = 0;
const as = (who: TestPerson) => ({ token: who.token, headers: { "x-forwarded-for": `203.0.113.${++addresses % 250}` } });

const activate = (who: TestPerson, owner: TestPerson) => api("PATCH", "/api/profile", { foreign_invite_code: owner.inviteCode }, as(who));
const membersOf = (owner: TestPerson, workspaceId = owner.workspaceId) =>
  api("GET", `/api/workspaces/${workspaceId}/members`, undefined, as(owner));
const patchMember = (owner: TestPerson, personId: number, body: unknown, workspaceId = owner.workspaceId) =>
  api("PATCH", `/api/workspaces/${workspaceId}/members/${personId}`, body, as(owner));
const removeMember = (owner: TestPerson, personId: number, workspaceId = owner.workspaceId) =>
  api("DELETE", `/api/workspaces/${workspaceId}/members/${personId}`, undefined, as(owner));
const workspacesOf = async (who: TestPerson) =>
  (await api("GET", "/api/workspaces", undefined, as(who))).body.items as { id: number; role: string; status: string }[];

async function ownerWithHouse() {
  const owner = await newPerson();
  const house = await api("POST", "/api/houses", { address: `ул. Владельца, д. ${phones}` }, as(owner));
  expect(house.status).toBe(201);
  return { owner, houseId: house.body.id as number };
}

/** What the person sees of the house: by id, in the list, on its workspace's board of the current month. */
async function sight(who: TestPerson, houseId: number, workspaceId: number) {
  const one = await api("GET", `/api/houses/${houseId}`, undefined, as(who));
  const list = await api("GET", "/api/houses", undefined, as(who));
  const period = new Date().toISOString().slice(0, 7);
  const board = await api("GET", `/api/months/${period}/board?workspace_id=${workspaceId}`, undefined, as(who));
  return {
    get: one.status,
    listed: list.body.items.some((h: { id: number }) => h.id === houseId),
    board: board.status === 200 && board.body.houses.some((h: { house_id: number }) => h.house_id === houseId) ? "seen" : board.status,
  };
}
const UNSEEN = { get: 404, listed: false, board: 404 };
const SEEN = { get: 200, listed: true, board: "seen" };

/** The member history entries written after `after` (a history id). */
const memberHistory = async (after: number) =>
  (await historySince(after)).map((e) => ({
    entity_id: e.entity_id,
    action: e.action,
    person_id: e.person_id,
    operation: e.operation,
    workspace_id: e.workspace_id,
    before: e.before,
    after: e.after,
  }));

/** The members table and the history, fingerprinted: equal before and after a refusal means it changed nothing. */
async function membersSnapshot() {
  const {
    rows: [row],
  } = await db().execute<{ members: string; history: number }>(sql`
    select (select md5(coalesce(string_agg(m::text, '|' order by m.workspace_id, m.person_id), '')) from workspace_member m) as members,
           (select count(*)::int from history) as history`);
  return { ...row, registry: await snapshot() };
}

describe("activating an invite code", () => {
  it("records a pending request: the person sees nothing of the workspace, the owner sees the request", async () => {
    const { owner, houseId } = await ownerWithHouse();
    const me = await newPerson();
    const mark = await lastHistoryId();

    const res = await activate(me, owner);

    expect(res.status).toBe(200);
    // The profile's fields keep their meaning.
    expect(res.body).toMatchObject({ foreign_invite_code: owner.inviteCode, activated_your_code: [] });
    expect((await api("GET", "/api/profile", undefined, as(owner))).body.activated_your_code).toEqual([me.phone]);
    expect(await sight(me, houseId, owner.workspaceId)).toEqual(UNSEEN);
    expect(await workspacesOf(me)).toEqual([
      expect.objectContaining({ id: me.workspaceId, role: "owner", status: "active", personal: true }),
      expect.objectContaining({ id: owner.workspaceId, role: "viewer", status: "pending", personal: false }),
    ]);
    // Nothing of the workspace through any door: a write and the members list are refused too.
    expect((await api("PATCH", `/api/houses/${houseId}`, { address: "чужой" }, as(me))).status).toBe(404);
    expect((await membersOf(me, owner.workspaceId)).status).toBe(404);
    // One entry: the request, by the person who activated.
    expect(await memberHistory(mark)).toEqual([
      expect.objectContaining({
        entity_id: String(me.personId),
        action: "insert",
        person_id: me.personId,
        operation: "activateInviteCode",
        workspace_id: owner.workspaceId,
        before: null,
        after: expect.objectContaining({ status: "pending", role: "viewer", decided_by_id: null }),
      }),
    ]);

    const members = await membersOf(owner);
    expect(members.status).toBe(200);
    expect(members.body.items).toEqual([
      {
        person_id: me.personId,
        phone: me.phone,
        role: "viewer",
        status: "pending",
        personal: false,
        joined_at: expect.any(String),
        decided_at: null,
        decided_by: null,
      },
      expect.objectContaining({ person_id: owner.personId, role: "owner", status: "active", personal: true }),
    ]);
  });

  it("admitted with a role: the person sees the workspace and may do what the role allows", async () => {
    const { owner, houseId } = await ownerWithHouse();
    const me = await newPerson();
    expect((await activate(me, owner)).status).toBe(200);
    const mark = await lastHistoryId();

    const admitted = await patchMember(owner, me.personId, { status: "active", role: "operator" });

    expect(admitted.status, JSON.stringify(admitted.body)).toBe(204);
    expect(await sight(me, houseId, owner.workspaceId)).toEqual(SEEN);
    expect((await workspacesOf(me)).find((w) => w.id === owner.workspaceId)).toMatchObject({ role: "operator", status: "active" });
    // an operator reads the register and enters readings, changes nothing else
    const rename = await api("PATCH", `/api/houses/${houseId}`, { address: "ул. Другая" }, as(me));
    expect(rename.status).toBe(403);
    expect(rename.body.error).toMatchObject({ reason: "role_forbidden", params: { role: "operator" } });
    expect(await memberHistory(mark)).toEqual([
      expect.objectContaining({
        entity_id: String(me.personId),
        action: "update",
        person_id: owner.personId,
        operation: "updateMember",
        before: expect.objectContaining({ status: "pending", role: "viewer", decided_by_id: null }),
        after: expect.objectContaining({ status: "active", role: "operator", decided_by_id: owner.personId }),
      }),
    ]);
    const row = (await membersOf(owner)).body.items.find((m: { person_id: number }) => m.person_id === me.personId);
    expect(row).toMatchObject({ status: "active", role: "operator", decided_by: owner.phone, decided_at: expect.any(String) });
  });

  it("declined: the person still sees nothing and cannot activate another code", async () => {
    const { owner, houseId } = await ownerWithHouse();
    const other = await ownerWithHouse();
    const me = await newPerson();
    expect((await activate(me, owner)).status).toBe(200);
    const mark = await lastHistoryId();

    const declined = await patchMember(owner, me.personId, { status: "declined" });

    expect(declined.status).toBe(204);
    expect(await sight(me, houseId, owner.workspaceId)).toEqual(UNSEEN);
    expect((await workspacesOf(me)).find((w) => w.id === owner.workspaceId)).toMatchObject({ status: "declined" });
    const again = await activate(me, other.owner);
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe("invite_already_activated");
    expect(await sight(me, other.houseId, other.owner.workspaceId)).toEqual(UNSEEN);
    expect(await memberHistory(mark)).toEqual([
      expect.objectContaining({
        action: "update",
        before: expect.objectContaining({ status: "pending" }),
        after: expect.objectContaining({ status: "declined", role: "viewer", decided_by_id: owner.personId }),
      }),
    ]);
    // Declining twice, or declining a member, is not a decision to make.
    expect((await patchMember(owner, me.personId, { status: "declined" })).body.error).toMatchObject({
      code: "conflict",
      reason: "member_not_pending",
    });
    // The owner may change their mind.
    expect((await patchMember(owner, me.personId, { status: "active", role: "viewer" })).status).toBe(204);
    expect(await sight(me, houseId, owner.workspaceId)).toEqual(SEEN);
  });
});

describe("members", () => {
  async function ownerAndMember(role: "accountant" | "operator" | "viewer" | "owner" = "accountant") {
    const { owner, houseId } = await ownerWithHouse();
    const member = await newPerson();
    expect((await activate(member, owner)).status).toBe(200);
    expect((await patchMember(owner, member.personId, { status: "active", role })).status).toBe(204);
    return { owner, member, houseId };
  }

  it("a role change: one history entry, and the new role applies at once", async () => {
    const { owner, member, houseId } = await ownerAndMember("accountant");
    expect((await api("PATCH", `/api/houses/${houseId}`, { address: "ул. Бухгалтера" }, as(member))).status).toBe(200);
    const mark = await lastHistoryId();

    expect((await patchMember(owner, member.personId, { role: "viewer" })).status).toBe(204);

    expect((await api("PATCH", `/api/houses/${houseId}`, { address: "ул. Наблюдателя" }, as(member))).status).toBe(403);
    expect((await api("GET", `/api/houses/${houseId}`, undefined, as(member))).status).toBe(200);
    expect(await memberHistory(mark)).toEqual([
      expect.objectContaining({
        action: "update",
        operation: "updateMember",
        before: expect.objectContaining({ role: "accountant", status: "active" }),
        after: expect.objectContaining({ role: "viewer", status: "active" }),
      }),
    ]);
  });

  it("a pending request's role is not changed, it is admitted", async () => {
    const { owner } = await ownerWithHouse();
    const me = await newPerson();
    await activate(me, owner);
    const before = await membersSnapshot();

    const res = await patchMember(owner, me.personId, { role: "accountant" });

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ reason: "member_not_active", params: { status: "pending" } });
    expect(await membersSnapshot()).toEqual(before);
  });

  it("removal: one history entry, and the person sees nothing from then on", async () => {
    const { owner, member, houseId } = await ownerAndMember("accountant");
    expect(await sight(member, houseId, owner.workspaceId)).toEqual(SEEN);
    const mark = await lastHistoryId();

    expect((await removeMember(owner, member.personId)).status).toBe(204);

    expect(await sight(member, houseId, owner.workspaceId)).toEqual(UNSEEN);
    expect((await workspacesOf(member)).map((w) => w.id)).toEqual([member.workspaceId]);
    expect(await memberHistory(mark)).toEqual([
      expect.objectContaining({
        entity_id: String(member.personId),
        action: "delete",
        operation: "removeMember",
        person_id: owner.personId,
        before: expect.objectContaining({ role: "accountant", status: "active" }),
        after: null,
      }),
    ]);
    const gone = await removeMember(owner, member.personId);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ reason: "member_not_found", params: { id: owner.workspaceId, person_id: member.personId } });
  });

  it("the last owner is neither demoted nor removed; the founder of a workspace stays its owner", async () => {
    const { owner, member } = await ownerAndMember("accountant");
    const before = await membersSnapshot();

    const demoted = await patchMember(owner, owner.personId, { role: "accountant" });
    const removed = await removeMember(owner, owner.personId);

    expect(demoted.status).toBe(409);
    expect(demoted.body.error).toMatchObject({ code: "conflict", reason: "last_owner" });
    expect(removed.status).toBe(409);
    expect(removed.body.error).toMatchObject({ code: "conflict", reason: "last_owner" });
    expect(await membersSnapshot()).toEqual(before);

    // A second owner: the founder still stays, the second owner may go.
    expect((await patchMember(owner, member.personId, { role: "owner" })).status).toBe(204);
    const snap = await membersSnapshot();
    for (const res of [
      await patchMember(member, owner.personId, { role: "viewer" }, owner.workspaceId),
      await removeMember(member, owner.personId, owner.workspaceId),
      await patchMember(owner, owner.personId, { role: "viewer" }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error.reason).toBe("personal_workspace_owner");
    }
    expect(await membersSnapshot()).toEqual(snap);
    expect((await patchMember(owner, member.personId, { role: "operator" })).status).toBe(204);
  });

  it("a workspace without a founder (made by the migration) keeps its last owner; two owners demoting each other at once keep one", async () => {
    const a = await newPerson();
    const b = await newPerson();
    const {
      rows: [{ id: workspaceId }],
    } = await db().execute<{ id: number }>(sql`insert into workspace (name) values ('Общее') returning id`);
    await joinWorkspace(a, workspaceId, "owner");
    await joinWorkspace(b, workspaceId, "owner");

    const results = await Promise.all([
      patchMember(a, b.personId, { role: "accountant" }, workspaceId),
      patchMember(b, a.personId, { role: "accountant" }, workspaceId),
    ]);

    // The second to lock the owners finds one owner left: never both demoted.
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    const {
      rows: [{ owners }],
    } = await db().execute<{ owners: number }>(
      sql`select count(*)::int as owners from workspace_member where workspace_id = ${workspaceId} and role = 'owner' and status = 'active'`,
    );
    expect(owners).toBe(1);
    const last = results[0].status === 204 ? a : b;
    const res = await removeMember(last, last.personId, workspaceId);
    expect(res.body.error).toMatchObject({ reason: "last_owner" });
  });

  it.each(["accountant", "operator", "viewer"] as const)("as %s: 403 on every members call, and nothing changes", async (role) => {
    const { owner, member } = await ownerAndMember(role);
    const pending = await newPerson();
    await activate(pending, owner);
    const before = await membersSnapshot();

    const calls = [
      await membersOf(member, owner.workspaceId),
      await patchMember(member, pending.personId, { status: "active", role: "owner" }, owner.workspaceId),
      await patchMember(member, member.personId, { role: "owner" }, owner.workspaceId),
      await removeMember(member, owner.personId, owner.workspaceId),
      await removeMember(member, pending.personId, owner.workspaceId),
    ];

    for (const res of calls) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: "forbidden", reason: "role_forbidden", params: { role, roles: "owner" } });
    }
    expect(await membersSnapshot()).toEqual(before);
  });

  it("a stranger's workspace, or a person not in it, is not found", async () => {
    const { owner } = await ownerWithHouse();
    const stranger = await newPerson();
    const before = await membersSnapshot();

    const theirs = await membersOf(stranger, owner.workspaceId);
    const patch = await patchMember(stranger, owner.personId, { role: "viewer" }, owner.workspaceId);
    const notIn = await patchMember(owner, stranger.personId, { status: "active", role: "viewer" });

    expect(theirs.status).toBe(404);
    expect(theirs.body.error.reason).toBe("workspace_not_found");
    expect(patch.status).toBe(404);
    expect(notIn.status).toBe(404);
    expect(notIn.body.error).toMatchObject({ reason: "member_not_found", params: { id: owner.workspaceId, person_id: stranger.personId } });
    expect(await membersSnapshot()).toEqual(before);
  });

  it.each([
    [{}, "role", "required"],
    [{ status: "active" }, "role", "required"],
    [{ status: "declined", role: "viewer" }, "role", "invalid"],
    [{ status: "pending" }, "status", "not_one_of"],
    [{ role: "member" }, "role", "not_one_of"],
    [{ role: "viewer", admitted: true }, "admitted", "unknown_field"],
  ])("refuses the body %j (422 on %s)", async (body, field, reason) => {
    const { owner, member } = await ownerAndMember("accountant");
    const res = await patchMember(owner, member.personId, body);
    expect(res.status).toBe(422);
    expect(res.body.error.field_reasons[field]).toMatchObject({ reason });
  });
});

describe("API keys carry a role", () => {
  it("defaults to accountant, is listed with its role, and is enforced", async () => {
    const { owner, houseId } = await ownerWithHouse();
    const plain = await api("POST", "/api/api-keys", { name: "1С" }, as(owner));
    const viewer = await api("POST", "/api/api-keys", { name: "Отчёты", role: "viewer" }, as(owner));
    expect(plain.status).toBe(201);
    expect(plain.body.role).toBe("accountant");
    expect(viewer.body.role).toBe("viewer");
    const list = await api("GET", "/api/api-keys", undefined, as(owner));
    expect(list.body.items.map((k: { name: string; role: string }) => [k.name, k.role])).toEqual([
      ["Отчёты", "viewer"],
      ["1С", "accountant"],
    ]);

    const byKey = (key: string) => ({ token: key });
    expect((await api("GET", `/api/houses/${houseId}`, undefined, byKey(viewer.body.key))).status).toBe(200);
    const before = await snapshot();
    const refused = await api("PATCH", `/api/houses/${houseId}`, { address: "ул. Ключа" }, byKey(viewer.body.key));
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ reason: "role_forbidden", params: { role: "viewer" } });
    expect(await snapshot()).toEqual(before);
    expect((await api("PATCH", `/api/houses/${houseId}`, { address: "ул. Ключа" }, byKey(plain.body.key))).status).toBe(200);
    expect((await api("POST", "/api/houses", { address: "ул. Ключа, 2" }, byKey(plain.body.key))).status).toBe(201);
  });

  it("never above its maker's role", async () => {
    const { owner } = await ownerWithHouse();
    // Only owners make keys through the API today; the rule holds for whoever would.
    const scope = {
      workspaceIds: [owner.workspaceId],
      workspaceId: owner.workspaceId,
      roles: { [owner.workspaceId]: "accountant" as const },
    };
    await expect(createApiKey(db(), { scope, personId: owner.personId, name: "выше", role: "owner" })).rejects.toMatchObject({
      status: 403,
      reason: "role_above_yours",
      params: { role: "owner", your_role: "accountant" },
    });
    const ok = await createApiKey(db(), { scope, personId: owner.personId, name: "равный", role: "accountant" });
    expect(ok.role).toBe("accountant");
    const bad = await api("POST", "/api/api-keys", { name: "x", role: "admin" }, as(owner));
    expect(bad.status).toBe(422);
    expect(bad.body.error.field_reasons.role).toMatchObject({ reason: "not_one_of" });
  });
});
