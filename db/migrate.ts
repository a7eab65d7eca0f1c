import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

// Next to this file's folder, whatever the working directory: db/migrate.ts → drizzle/, and
// in the production bundle dist/migrate.mjs → drizzle/ beside dist/.
const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle/", import.meta.url));

/** Applies pending migrations from drizzle/ (idempotent; safe to run at every start). */
export async function migrateDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.end();
  }
}
