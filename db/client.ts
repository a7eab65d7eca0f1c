// The database is the server's alone: a client component that imports this (or anything that
// does) fails the build. Node.js outside Next.js resolves it with --conditions=react-server.
import "server-only";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema>;
/** A database handle or an open transaction: queries accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  sql: postgres.Sql;
  close: () => Promise<void>;
}

export function createDb(url: string, options: { max?: number } = {}): DbHandle {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
  });
  return {
    db: drizzle(client, { schema }),
    sql: client,
    close: () => client.end({ timeout: 5 }),
  };
}

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
