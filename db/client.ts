// The web app's database client, created on first use so that `next build` needs no database.
// It is the server's alone: a client component that imports this module (or anything that does)
// fails the build.
import "server-only";
import { createDb, type Db, type DbHandle } from "./connect";

export type { Db, DbOrTx, Tx } from "./connect";

let shared: DbHandle | undefined;

/** The process-wide client, created on first use so that `next build` needs no database. */
export function getDb(): Db {
  if (!shared) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (start the app with `npm run dev` or `npm start`)");
    shared = createDb(url);
  }
  return shared.db;
}

export async function closeDb(): Promise<void> {
  await shared?.close();
  shared = undefined;
}
