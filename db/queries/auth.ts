import { and, asc, desc, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import type { MemberRole, MemberStatus } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { apiKey, loginCode, person, rateLimit, session, workspace, workspaceMember, type Person } from "../schema";

// People, their sign-in codes, sessions, API keys, workspaces and the rate-limit counters.
// Secrets are never stored: codes as salted SHA-256, tokens and keys as SHA-256 (lib/auth/tokens.ts).

// ---- sign-in codes ----

/** Stores the phone's one live code (replacing an earlier one), valid for `ttlMinutes`. */
export async function upsertLoginCode(
  db: DbOrTx,
  values: { phone: string; codeHash: string; salt: string; ttlMinutes: number },
): Promise<void> {
  const row = {
    codeHash: values.codeHash,
    salt: values.salt,
    attempts: 0,
    expiresAt: sql`now() + make_interval(mins => ${values.ttlMinutes})`,
    createdAt: sql`now()`,
  };
  await db
    .insert(loginCode)
    .values({ phone: values.phone, ...row })
    .onConflictDoUpdate({ target: loginCode.phone, set: row });
}

/** The phone's code, locked until the transaction ends, with whether it has expired. */
export async function lockLoginCode(db: DbOrTx, phone: string) {
  const [row] = await db
    .select({
      codeHash: loginCode.codeHash,
      salt: loginCode.salt,
      attempts: loginCode.attempts,
      expired: sql<boolean>`${loginCode.expiresAt} <= now()`,
    })
    .from(loginCode)
    .where(eq(loginCode.phone, phone))
    .for("update");
  return row;
}

export async function setLoginCodeAttempts(db: DbOrTx, phone: string, attempts: number): Promise<void> {
  await db.update(loginCode).set({ attempts }).where(eq(loginCode.phone, phone));
}

export async function deleteLoginCode(db: DbOrTx, phone: string): Promise<void> {
  await db.delete(loginCode).where(eq(loginCode.phone, phone));
}

/** Codes that can no longer be used (expired); returns how many went. */
export async function pruneLoginCodes(db: DbOrTx): Promise<number> {
  const deleted = await db
    .delete(loginCode)
    .where(sql`${loginCode.expiresAt} <= now()`)
    .returning({ phone: loginCode.phone });
  return deleted.length;
}

// ---- people and workspaces ----

export async function findPersonByPhone(db: DbOrTx, phone: string): Promise<Person | undefined> {
  const [row] = await db.select().from(person).where(eq(person.phone, phone));
  return row;
}

export async function findPerson(db: DbOrTx, personId: number, options: { lock?: boolean } = {}): Promise<Person | undefined> {
  const query = db.select().from(person).where(eq(person.id, personId));
  const [row] = options.lock ? await query.for("update") : await query;
  return row;
}

export async function findPersonByInviteCode(db: DbOrTx, code: string): Promise<Person | undefined> {
  const [row] = await db.select().from(person).where(eq(person.inviteCode, code));
  return row;
}

/** One registration per phone at a time (a transaction-level lock): the loser of a race finds the winner's row. */
export async function lockPhone(db: DbOrTx, phone: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`person:${phone}`}))`);
}

export async function insertWorkspace(db: DbOrTx, name: string): Promise<number> {
  const [row] = await db.insert(workspace).values({ name }).returning({ id: workspace.id });
  return row.id;
}

export async function renameWorkspace(db: DbOrTx, workspaceId: number, name: string): Promise<void> {
  await db.update(workspace).set({ name }).where(eq(workspace.id, workspaceId));
}

/** The new person, or undefined when the invite code is taken (try another). */
export async function insertPerson(
  db: DbOrTx,
  values: { phone: string; inviteCode: string; personalWorkspaceId: number },
): Promise<Person | undefined> {
  const [row] = await db.insert(person).values(values).onConflictDoNothing({ target: person.inviteCode }).returning();
  return row;
}

export async function addMember(
  db: DbOrTx,
  values: { workspaceId: number; personId: number; role: MemberRole; status?: MemberStatus },
): Promise<void> {
  await db.insert(workspaceMember).values(values).onConflictDoNothing();
}

/** Records the colleague's code the person activated, and whose it was. */
export async function setForeignInviteCode(db: DbOrTx, personId: number, values: { code: string; invitedById: number }): Promise<void> {
  await db.update(person).set({ foreignInviteCode: values.code, invitedById: values.invitedById }).where(eq(person.id, personId));
}

/** The phones of the people who joined with this person's code, in the order they joined. */
export async function phonesInvitedBy(db: DbOrTx, personId: number): Promise<string[]> {
  const rows = await db
    .select({ phone: person.phone })
    .from(person)
    .where(eq(person.invitedById, personId))
    .orderBy(asc(person.createdAt), asc(person.id));
  return rows.map((row) => row.phone);
}

/** The workspaces the person belongs to or asked to join, the ones they own first, requests last. */
export async function listPersonWorkspaces(db: DbOrTx, personId: number) {
  return db
    .select({
      id: workspace.id,
      name: workspace.name,
      role: workspaceMember.role,
      status: workspaceMember.status,
      personal: sql<boolean>`${workspace.id} = (select ${person.personalWorkspaceId} from ${person} where ${person.id} = ${personId})`,
      joinedAt: workspaceMember.createdAt,
    })
    .from(workspaceMember)
    .innerJoin(workspace, eq(workspace.id, workspaceMember.workspaceId))
    .where(eq(workspaceMember.personId, personId))
    .orderBy(sql`${workspaceMember.status} = 'active' desc`, sql`${workspaceMember.role} = 'owner' desc`, asc(workspace.id));
}

// ---- sessions ----

export async function insertSession(
  db: DbOrTx,
  values: { personId: number; tokenHash: string; days: number; userAgent: string | null },
): Promise<number> {
  const [row] = await db
    .insert(session)
    .values({
      personId: values.personId,
      tokenHash: values.tokenHash,
      userAgent: values.userAgent,
      expiresAt: sql`now() + make_interval(days => ${values.days})`,
    })
    .returning({ id: session.id });
  return row.id;
}

/** The person's live sessions (not revoked, not expired), the most recently used first. */
export async function listLiveSessions(db: DbOrTx, personId: number) {
  return db
    .select({ id: session.id, userAgent: session.userAgent, createdAt: session.createdAt, lastUsedAt: session.lastUsedAt })
    .from(session)
    .where(and(eq(session.personId, personId), isNull(session.revokedAt), gt(session.expiresAt, sql`now()`)))
    .orderBy(desc(session.lastUsedAt), desc(session.id));
}

/**
 * Revokes the person's live sessions: the one with `sessionId`, or all of them but `exceptId`
 * (all of them when it is null). The person filter is in the WHERE, so another person's
 * session is never touched. Returns the ids revoked.
 */
export async function revokePersonSessions(
  db: DbOrTx,
  options: { personId: number } & ({ sessionId: number } | { exceptId: number | null }),
): Promise<number[]> {
  const which =
    "sessionId" in options ? eq(session.id, options.sessionId) : options.exceptId === null ? undefined : ne(session.id, options.exceptId);
  const rows = await db
    .update(session)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(session.personId, options.personId), isNull(session.revokedAt), gt(session.expiresAt, sql`now()`), which))
    .returning({ id: session.id });
  return rows.map((row) => row.id);
}

export async function revokeSession(db: DbOrTx, sessionId: number): Promise<void> {
  await db
    .update(session)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(session.id, sessionId), isNull(session.revokedAt)));
}

export type SessionActorRow = {
  id: number;
  person_id: number;
  personal_workspace_id: number;
  /** the workspaces the person is an active member of, and the role in each, in the same order */
  workspace_ids: number[];
  roles: MemberRole[];
  renewed: boolean;
};

/**
 * The live session with this token hash and its person's workspaces. Its expiry slides forward
 * (to `days` from now) when it was last used more than `renewAfterMinutes` ago, so that reads
 * do not write on every request; `renewed` says it did.
 */
export async function findSession(
  db: DbOrTx,
  options: { tokenHash: string; days: number; renewAfterMinutes: number },
): Promise<SessionActorRow | undefined> {
  const {
    rows: [row],
  } = await db.execute<SessionActorRow>(sql`
    with live as (
      select ${session.id} as id, ${session.personId} as person_id,
             ${session.lastUsedAt} < now() - make_interval(mins => ${options.renewAfterMinutes}) as stale
      from ${session}
      where ${session.tokenHash} = ${options.tokenHash} and ${session.revokedAt} is null and ${session.expiresAt} > now()
    ), renewed as (
      update ${session} set last_used_at = now(), expires_at = now() + make_interval(days => ${options.days})
      from live where ${session.id} = live.id and live.stale
      returning ${session.id}
    )
    select live.id, live.person_id, ${person.personalWorkspaceId} as personal_workspace_id,
           coalesce(m.workspace_ids, '{}') as workspace_ids, coalesce(m.roles, '{}') as roles,
           exists (select 1 from renewed) as renewed
    from live join ${person} on ${person.id} = live.person_id
    left join lateral (
      select array_agg(${workspaceMember.workspaceId} order by ${workspaceMember.workspaceId}) as workspace_ids,
             array_agg(${workspaceMember.role}::text order by ${workspaceMember.workspaceId}) as roles
      from ${workspaceMember}
      where ${workspaceMember.personId} = live.person_id and ${workspaceMember.status} = 'active'
    ) m on true`);
  return row;
}

// ---- API keys ----

/**
 * The key with this hash and its workspace. last_used_at is stamped at most once every
 * `touchMinutes`: a write (and a lock on the key's row) on every request would queue an
 * integration's concurrent calls behind each other.
 */
export async function findApiKey(db: DbOrTx, options: { keyHash: string; touchMinutes: number }) {
  const {
    rows: [key],
  } = await db.execute<{ id: number; workspace_id: number; role: MemberRole }>(sql`
    with found as (
      select ${apiKey.id} as id, ${apiKey.workspaceId} as workspace_id, ${apiKey.role} as role,
             ${apiKey.lastUsedAt} is null or ${apiKey.lastUsedAt} < now() - make_interval(mins => ${options.touchMinutes}) as stale
      from ${apiKey} where ${apiKey.keyHash} = ${options.keyHash}
    ), touched as (
      update ${apiKey} set last_used_at = now() from found where ${apiKey.id} = found.id and found.stale
    )
    select id, workspace_id, role from found`);
  return key as { id: number; workspace_id: number; role: MemberRole } | undefined;
}

export async function insertApiKey(
  db: DbOrTx,
  values: { workspaceId: number; createdById: number | null; name: string; keyHash: string; keyPrefix: string; role: MemberRole },
) {
  const [row] = await db.insert(apiKey).values(values).returning();
  return row;
}

/** Keys of the workspaces, newest first, with the phone of who made each; never the keys themselves. */
export async function listApiKeys(db: DbOrTx, workspaceIds: number[]) {
  return db
    .select({
      id: apiKey.id,
      name: apiKey.name,
      workspaceId: apiKey.workspaceId,
      keyPrefix: apiKey.keyPrefix,
      role: apiKey.role,
      createdAt: apiKey.createdAt,
      lastUsedAt: apiKey.lastUsedAt,
      createdBy: person.phone,
    })
    .from(apiKey)
    .leftJoin(person, eq(person.id, apiKey.createdById))
    .where(inArray(apiKey.workspaceId, workspaceIds))
    .orderBy(desc(apiKey.createdAt), desc(apiKey.id));
}

/** false when no such key is in the workspaces. */
export async function deleteApiKey(db: DbOrTx, options: { id: number; workspaceIds: number[] }): Promise<boolean> {
  const deleted = await db
    .delete(apiKey)
    .where(and(eq(apiKey.id, options.id), inArray(apiKey.workspaceId, options.workspaceIds)))
    .returning({ id: apiKey.id });
  return deleted.length > 0;
}

// ---- rate limits ----

export interface RateLimitRule {
  /** what is limited, e.g. "login:phone:+79991234567" */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/** The stored key: the window length is part of it, so a minute and an hour never share a row. */
const rateLimitKey = (rule: RateLimitRule) => `${rule.bucket}:${rule.windowSeconds}s`;

const windowStart = (seconds: number) => sql`to_timestamp(floor(extract(epoch from now()) / ${seconds}) * ${seconds})`;

/**
 * Counts one hit against every rule, in PostgreSQL so that every web process shares the counts —
 * or none at all when any rule is already at its limit: a refused request uses up nothing.
 * Returns the refusing rule and the seconds until its window ends, or null.
 */
export async function hitRateLimits(db: DbOrTx, rules: RateLimitRule[]): Promise<{ rule: RateLimitRule; retryAfter: number } | null> {
  return db.transaction(async (tx) => {
    // Requests on the same buckets queue up here, so that check-then-count cannot be raced.
    for (const key of [...new Set(rules.map(rateLimitKey))].sort()) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    }
    for (const rule of rules) {
      const {
        rows: [row],
      } = await tx.execute<{ hits: number; retry_after: number }>(sql`
        select ${rateLimit.hits} as hits,
               greatest(1, ceil(${rule.windowSeconds} - mod(extract(epoch from now())::numeric, ${rule.windowSeconds})))::int as retry_after
        from ${rateLimit} where ${rateLimit.bucket} = ${rateLimitKey(rule)} and ${rateLimit.windowStart} = ${windowStart(rule.windowSeconds)}`);
      if (row && row.hits >= rule.limit) return { rule, retryAfter: row.retry_after };
    }
    for (const rule of rules) {
      await tx
        .insert(rateLimit)
        .values({ bucket: rateLimitKey(rule), windowStart: windowStart(rule.windowSeconds), hits: 1 })
        .onConflictDoUpdate({ target: [rateLimit.bucket, rateLimit.windowStart], set: { hits: sql`${rateLimit.hits} + 1` } });
    }
    return null;
  });
}

/** Windows that ended a day ago or more count for nothing; returns how many rows went. */
export async function pruneRateLimits(db: DbOrTx): Promise<number> {
  const deleted = await db
    .delete(rateLimit)
    .where(sql`${rateLimit.windowStart} < now() - interval '1 day'`)
    .returning({ bucket: rateLimit.bucket });
  return deleted.length;
}
