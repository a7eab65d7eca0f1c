import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";

export interface RateLimitRule {
  /** what is limited, e.g. "login:phone:+79991234567" */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Counts one hit in the rule's current fixed window, in PostgreSQL so that every web process
 * shares the count. Returns the seconds to wait when the limit is already reached (the hit is
 * then not counted), or 0.
 */
export async function hitRateLimit(db: DbOrTx, rule: RateLimitRule): Promise<number> {
  const rows = await db.execute<{ hits: number; retry_after: number }>(sql`
    with w as (select to_timestamp(floor(extract(epoch from now()) / ${rule.windowSeconds}) * ${rule.windowSeconds}) as start)
    insert into rate_limit (bucket, window_start, hits)
    select ${rule.bucket}, w.start, 1 from w
    on conflict (bucket, window_start) do update set hits = rate_limit.hits + 1
      where rate_limit.hits < ${rule.limit}
    returning hits`);
  if (rows.length > 0) return 0;
  const [wait] = await db.execute<{ seconds: number }>(sql`
    select greatest(1, ceil(${rule.windowSeconds} - mod(extract(epoch from now())::numeric, ${rule.windowSeconds})))::int as seconds`);
  return wait.seconds;
}

/** Old windows are useless; drop them now and then. */
export async function pruneRateLimits(db: DbOrTx): Promise<void> {
  await db.execute(sql`delete from rate_limit where window_start < now() - interval '1 day'`);
}
