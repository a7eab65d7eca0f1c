import path from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../../db/embedded";
import { env } from "../../lib/env";

export { prepareDatabase } from "./prepare-database";

export interface AppDatabase {
  /** Connection string the app and worker use. */
  url: string;
  /** true when we started PostgreSQL ourselves (and so must stop it). */
  embedded: boolean;
  stop: () => Promise<void>;
}

const EMBEDDED_DATA_DIR = path.join(process.cwd(), ".data", "pg");
const EMBEDDED_DB_NAME = "kvartplata";

/**
 * DATABASE_URL when it is set; otherwise the embedded PostgreSQL under .data/pg with a
 * `kvartplata` database, created on first use.
 */
export async function openAppDatabase(
  log: (line: string) => void,
  options: { whenRunning?: "adopt" | "borrow" } = {},
): Promise<AppDatabase> {
  const configured = env().DATABASE_URL;
  if (configured) {
    log(`using DATABASE_URL (${redact(configured)})`);
    return { url: configured, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR, port: env().PGPORT, log, whenRunning: options.whenRunning });
  try {
    await createDatabaseIfMissing(server.url, EMBEDDED_DB_NAME);
  } catch (e) {
    await server.stop();
    throw e;
  }
  const url = withDatabase(server.url, EMBEDDED_DB_NAME);
  log(`embedded PostgreSQL on port ${server.port} (data in .data/pg)`);
  return { url, embedded: true, stop: server.stop };
}

async function createDatabaseIfMissing(adminUrl: string, name: string, template?: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) {
      await sql.unsafe(`create database "${name}"${template ? ` template "${template}"` : ""}`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The URL without its password, for logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
