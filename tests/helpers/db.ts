import { sql } from "drizzle-orm";
import { getDb } from "../../db/client";

const TABLES = ["workspace", "house", "apartment", "meter", "meter_reading", "tariff", "invoice"] as const;

/**
 * A fingerprint of every registry table's full contents: equal fingerprints before and after a
 * request mean it changed nothing.
 */
export async function snapshot(): Promise<Record<string, string>> {
  const db = getDb();
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await db.execute<{ n: number; digest: string | null }>(
      sql.raw(`select count(*)::int as n, md5(string_agg(t::text, '|' order by t.id)) as digest from "${table}" t`),
    );
    result[table] = `${row.n}:${row.digest ?? "-"}`;
  }
  return result;
}

export function db() {
  return getDb();
}
