import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb } from "../db/client";
import { withDatabase } from "../scripts/lib/database";

// Every test file gets its own database, cloned from the migrated template, and the app's
// lazy client (getDb) points at it through DATABASE_URL.
const name = `${inject("runPrefix")}_${randomBytes(4).toString("hex")}`;

// Sign-in codes go to a file of this test file's own, where tests read them (helpers/auth.ts).
process.env.SMS_PROVIDER = "file";
process.env.SMS_OUTBOX_FILE = path.join(os.tmpdir(), `${name}-sms.jsonl`);

beforeAll(async () => {
  const admin = postgres(inject("adminUrl"), { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${inject("templateDb")}"`);
        break;
      } catch (e) {
        // Another file cloning the same template at this instant: try again shortly.
        if ((e as { code?: string }).code !== "55006" || attempt > 50) throw e;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  process.env.DATABASE_URL = withDatabase(inject("adminUrl"), name);
});

afterAll(async () => {
  await closeDb();
  rmSync(process.env.SMS_OUTBOX_FILE!, { force: true });
  const admin = postgres(inject("adminUrl"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end({ timeout: 5 });
});
