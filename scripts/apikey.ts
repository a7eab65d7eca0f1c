// npm run apikey -- create --phone +79990000000 --name integration [--workspace-id N] [--role R]
// Creates the person (and their workspace) if needed and a key for one of their workspaces.
// The key is printed alone on the last line, so that scripts can take it with `tail -n1`.
import { parseArgs } from "node:util";
import { createDb } from "../db/connect";
import { createApiKey } from "../lib/auth/api-keys";
import { findOrCreatePerson } from "../lib/auth/persons";
import { normalizePhone } from "../lib/auth/phone";
import { listWorkspaces } from "../lib/auth/profile";
import { MEMBER_ROLES } from "../lib/constants";
import { createApiKeyBody } from "../lib/schemas/accounts";
import { openAppDatabase, prepareDatabase } from "./lib/database";

const USAGE =
  "usage: npm run apikey -- create --phone <phone> --name <name> [--workspace-id <id>] [--role owner|accountant|operator|viewer]";

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { phone: { type: "string" }, name: { type: "string" }, "workspace-id": { type: "string" }, role: { type: "string" } },
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${USAGE}`);
  }
  const { positionals, values } = parsed;
  if (positionals[0] !== "create" || !values.phone || !values.name?.trim()) throw new Error(USAGE);
  // The same rule as POST /api/api-keys: one line, at most 100 characters, no invisible marks.
  const name = createApiKeyBody.shape.name.safeParse(values.name);
  if (!name.success) throw new Error(`--name ${name.error.issues[0].message}`);
  const phone = normalizePhone(values.phone);
  if (!phone) throw new Error(`not a valid phone number: ${values.phone}`);
  const role = createApiKeyBody.shape.role.safeParse(values.role);
  if (!role.success) throw new Error(`--role must be one of ${MEMBER_ROLES.join(", ")}`);
  const workspaceId = values["workspace-id"] ? Number(values["workspace-id"]) : undefined;
  if (workspaceId !== undefined && !Number.isInteger(workspaceId)) throw new Error("--workspace-id must be a number");

  const database = await openAppDatabase((line) => console.error(`[db] ${line}`), { whenRunning: "borrow" });
  try {
    await prepareDatabase(database.url);
    const handle = createDb(database.url, { max: 1 });
    try {
      const { person, created } = await findOrCreatePerson(handle.db, phone);
      // the workspaces the person is a member of (not a request still pending), with their role there
      const workspaces = (await listWorkspaces(handle.db, person.id)).items.filter((w) => w.status === "active");
      const key = await createApiKey(handle.db, {
        scope: {
          workspaceIds: workspaces.map((w) => w.id),
          workspaceId: person.personalWorkspaceId,
          roles: Object.fromEntries(workspaces.map((w) => [w.id, w.role])),
        },
        personId: person.id,
        name: name.data,
        workspaceId,
        role: role.data,
      });
      console.error(
        `${created ? "registered" : "found"} ${phone}; API key #${key.id} "${key.name}" (${key.role}) for workspace ${key.workspace_id}:`,
      );
      console.log(key.key);
    } finally {
      await handle.close();
    }
  } finally {
    await database.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
