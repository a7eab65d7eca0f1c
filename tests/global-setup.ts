import os from "node:os";
import path from "node:path";
import fs from "node:fs/promises";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type RunningPostgres } from "../db/embedded";
import { prepareDatabase, withDatabase } from "../scripts/lib/database";

declare module "vitest" {
  export interface ProvidedContext {
    /** Server to create per-file databases on (its maintenance database). */
    adminUrl: string;
    /** A migrated database that every test file's database is cloned from. */
    templateDb: string;
    /** Prefix of this run's database names, so that teardown drops only ours. */
    runPrefix: string;
  }
}

/**
 * Uses DATABASE_URL's server when it is set (npm test sets it to its own embedded cluster);
 * otherwise starts a throw-away embedded PostgreSQL for this run.
 */
export default async function setup(project: TestProject) {
  let server: RunningPostgres | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "kvartplata-vitest-"));
    await fs.chmod(dataDir, 0o755);
    server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: 55432, fast: true });
    adminUrl = server.url;
  }
  const runPrefix = `kvt_${process.pid}_${Date.now().toString(36)}`;
  const templateDb = `${runPrefix}_template`;
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database "${templateDb}"`);
  await prepareDatabase(withDatabase(adminUrl, templateDb));

  project.provide("adminUrl", adminUrl);
  project.provide("templateDb", templateDb);
  project.provide("runPrefix", runPrefix);

  return async () => {
    const leftovers = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${`${runPrefix}%`}`;
    for (const { datname } of leftovers) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    await sql.end({ timeout: 5 });
    await server?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  };
}
