import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";

export interface RateLimitRule {
  /** what is limited, e.g. "login:phone:+79991234567" */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/** The stored key: the window length is part of it, so a minute and an hour never share a row. */
const rateLimitKey = (rule: RateLimitRule) => `${rule.bucket}:${rule.windowSeconds}s`;

const windowStart = (seconds: number) => sql`to_timestamp(floor(extract(epoch from now()) / ${seconds}) * ${seconds})`;

/**
 * Counts one hit against every rule, in PostgreSQL so that every web process shares the
 * counts — or none at all when any rule is already at its limit: a refused request uses up
 * nothing. Returns the refusing rule and the seconds until its window ends, or null.
 */
export async function hitRateLimits(db: DbOrTx, rules: RateLimitRule[]): Promise<{ rule: RateLimitRule; retryAfter: number } | null> {
  return db.transaction(async (tx) => {
    // Requests on the same buckets queue up here, so that check-then-count cannot be raced.
    for (const key of [...new Set(rules.map(rateLimitKey))].sort()) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    }
    for (const rule of rules) {
      const [row] = await tx.execute<{ hits: number; retry_after: number }>(sql`
        select hits,
               greatest(1, ceil(${rule.windowSeconds} - mod(extract(epoch from now())::numeric, ${rule.windowSeconds})))::int as retry_after
        from rate_limit where bucket = ${rateLimitKey(rule)} and window_start = ${windowStart(rule.windowSeconds)}`);
      if (row && row.hits >= rule.limit) return { rule, retryAfter: row.retry_after };
    }
    for (const rule of rules) {
      await tx.execute(sql`
        insert into rate_limit (bucket, window_start, hits) values (${rateLimitKey(rule)}, ${windowStart(rule.windowSeconds)}, 1)
        on conflict (bucket, window_start) do update set hits = rate_limit.hits + 1`);
    }
    return null;
  });
}

/** Old windows are useless; drop them now and then. */
export async function pruneRateLimits(db: DbOrTx): Promise<void> {
  await db.execute(sql`delete from rate_limit where window_start < now() - interval '1 day'`);
}
