import { existsSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client";
import { addMember } from "../../db/queries/auth";
import type { MemberRole } from "../../lib/constants";
import { findOrCreatePerson } from "../../lib/auth/persons";
import { createSession } from "../../lib/auth/sessions";

export interface TestPerson {
  personId: number;
  phone: string;
  workspaceId: number;
  inviteCode: string;
  token: string;
}

/** A registered person with a live session, made directly (the sign-in flow has its own tests). */
export async function signIn(phone: string): Promise<TestPerson> {
  const db = getDb();
  const { person } = await findOrCreatePerson(db, phone);
  const { token } = await createSession(db, person.id);
  return { personId: person.id, phone: person.phone, workspaceId: person.personalWorkspaceId, inviteCode: person.inviteCode, token };
}

let main: Promise<TestPerson> | undefined;

/** The person every `api()` call acts as unless told otherwise (one per test file). */
export function testPerson(): Promise<TestPerson> {
  main ??= signIn("+79990000001");
  return main;
}

/** The last sign-in code sent to the phone (from the test SMS outbox), or null. */
export function lastCode(phone: string): string | null {
  const file = process.env.SMS_OUTBOX_FILE!;
  if (!existsSync(file)) return null;
  const messages = readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { phone: string; text: string });
  const text = messages.filter((m) => m.phone === phone).at(-1)?.text;
  return text?.match(/\b(\d{6})\b/)?.[1] ?? null;
}

/**
 * Makes the person an active member of the workspace with the role, directly (as an owner's
 * admission would: tests/members.test.ts tests that flow itself).
 */
export async function joinWorkspace(person: TestPerson, workspaceId: number, role: MemberRole): Promise<void> {
  await addMember(getDb(), { workspaceId, personId: person.personId, role, status: "active" });
  await getDb().execute(
    sql`update workspace_member set role = ${role}, status = 'active' where workspace_id = ${workspaceId} and person_id = ${person.personId}`,
  );
}
