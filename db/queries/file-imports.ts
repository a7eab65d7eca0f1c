import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

// What the payment import's and the readings import's queries share: their tables differ only
// by name (payment_import, reading_import) and the workspace's remembered mapping by column
// (payment_import_mapping, reading_import_mapping) in what these read and write.

export function fileImportQueries(kind: "payment" | "reading") {
  const table = sql.identifier(`${kind}_import`);
  const remembered = sql.identifier(`${kind}_import_mapping`);

  /** The uploaded file (null once committed or discarded). */
  async function importContent(db: DbOrTx, id: number): Promise<Buffer | null> {
    const { rows } = await db.execute<{ content: Buffer | null }>(sql`select content from ${table} where id = ${id}`);
    return rows[0]?.content ?? null;
  }

  /** The first `bytes` of the uploaded file (what the page shows of it), without reading the rest. */
  async function importHead(db: DbOrTx, id: number, bytes: number): Promise<Buffer | null> {
    const { rows } = await db.execute<{ head: Buffer | null }>(
      sql`select substring(content from 1 for ${bytes}) as head from ${table} where id = ${id}`,
    );
    return rows[0]?.head ?? null;
  }

  async function countImports(db: DbOrTx, workspaceId: number): Promise<number> {
    const { rows } = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${table} where workspace_id = ${workspaceId}`);
    return rows[0].n;
  }

  /** The workspace's remembered mapping (field → header text). */
  async function workspaceImportMapping(db: DbOrTx, workspaceId: number): Promise<unknown> {
    const { rows } = await db.execute<{ mapping: unknown }>(sql`select ${remembered} as mapping from workspace where id = ${workspaceId}`);
    return rows[0]?.mapping ?? null;
  }

  /** Remembers the mapping; an unchanged one is not written again (no history entry). */
  async function rememberImportMapping(db: DbOrTx, workspaceId: number, mapping: object): Promise<void> {
    await db.execute(sql`
      update workspace set ${remembered} = ${JSON.stringify(mapping)}::jsonb
      where id = ${workspaceId} and ${remembered} is distinct from ${JSON.stringify(mapping)}::jsonb`);
  }

  return { importContent, importHead, countImports, workspaceImportMapping, rememberImportMapping };
}
