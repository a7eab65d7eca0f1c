import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema";

// A connection pool with Drizzle over it. The worker and the scripts make their own with
// createDb; the web app uses the one lazy process-wide client of db/client.ts.
//
// The driver is node-postgres (pg), the one pg-boss uses, rather than postgres.js: postgres.js
// 3.4.9 (the latest release) crashes the process when a connection dies under a transaction
// (`Cannot read properties of null (reading 'write')`, porsager/postgres#1154, #1208; the fix in
// #1168 is unmerged), and in our reproduction with connections terminated under load it also
// lost queries that never settled. The README's "When the database goes away" tells the story.

export type Db = NodePgDatabase<typeof schema>;
/** A database handle or an open transaction: queries accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  pool: pg.Pool;
  close: () => Promise<void>;
}

export interface CreateDbOptions {
  max?: number;
  /** told about each connection the server dropped (PostgreSQL restarted, a fail-over, a terminated backend) */
  onConnectionError?: (error: Error) => void;
}

/** A new connection that does not answer within this is given up on (a server that is gone). */
const CONNECT_TIMEOUT_MS = 5_000;

export function createDb(url: string, options: CreateDbOptions = {}): DbHandle {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  const dropped = options.onConnectionError ?? (() => {});
  // A pooled connection the server closes emits 'error' on the pool when it is idle, and on
  // itself when it is checked out between two queries; an 'error' nobody listens to would
  // end the process. The queries in flight fail on their own (and answer 503, lib/api/route.ts).
  pool.on("error", dropped);
  pool.on("connect", (client) => client.on("error", dropped));
  return {
    db: drizzle({ client: pool, schema }),
    pool,
    close: () => pool.end(),
  };
}

/**
 * pg's pool, except that a checked-out client whose connection ends goes back to the pool at once,
 * as broken (the pool drops it). Drizzle's transaction sends BEGIN before its try/finally: when
 * the server has just gone away, BEGIN fails and the client would never be given back, and a few
 * outages would use up the pool. The release that may still follow is then a no-op rather than
 * pg-pool's "released twice" error.
 */
class Pool extends pg.Pool {
  // Drizzle calls the promise form; pool.query, the callback form (its clients go back by themselves).
  connect(): Promise<pg.PoolClient>;
  connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void) {
    if (callback) return super.connect(callback);
    return super.connect().then(giveBackWhenLost);
  }
}

function giveBackWhenLost(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  let out = true;
  const lost = () => client.release(new Error("the connection ended while checked out"));
  client.release = (err?: Error | boolean) => {
    if (!out) return;
    out = false;
    client.removeListener("end", lost);
    release(err);
  };
  client.once("end", lost);
  return client;
}
