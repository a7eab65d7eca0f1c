import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { PaymentImportRowStatus, PaymentImportStatus } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { fileImportQueries } from "./file-imports";
import { apartment, house, paymentImport, paymentImportRow } from "../schema";

// The import of bank payment registries (lib/payment-import): the uploaded file, its checked
// rows and their commit into the accounts. Every statement names the import's workspace or
// is reached through an import found within the caller's workspaces.

/** An import as the API shows it (without the file). */
const importColumns = {
  id: paymentImport.id,
  workspaceId: paymentImport.workspaceId,
  fileName: paymentImport.fileName,
  status: sql<PaymentImportStatus>`${paymentImport.status}`,
  encoding: paymentImport.encoding,
  delimiter: paymentImport.delimiter,
  mapping: paymentImport.mapping,
  rowsTotal: paymentImport.rowsTotal,
  rowsDone: paymentImport.rowsDone,
  rowsOk: paymentImport.rowsOk,
  rowsError: paymentImport.rowsError,
  rowsDuplicate: paymentImport.rowsDuplicate,
  failure: paymentImport.failure,
  createdById: paymentImport.createdById,
  apiKeyId: paymentImport.apiKeyId,
  createdAt: paymentImport.createdAt,
  committedAt: paymentImport.committedAt,
  committedById: paymentImport.committedById,
};
export type PaymentImportRecord = Omit<typeof paymentImport.$inferSelect, "content" | "status"> & { status: PaymentImportStatus };

export interface NewPaymentImport {
  workspaceId: number;
  fileName: string;
  content: Buffer;
  encoding: string;
  delimiter: string;
  createdById: number | null;
  apiKeyId: number | null;
}

export async function insertImport(db: DbOrTx, values: NewPaymentImport): Promise<PaymentImportRecord> {
  const [row] = await db
    .insert(paymentImport)
    .values({ ...values, status: "uploaded" })
    .returning(importColumns);
  return row as PaymentImportRecord;
}

/** The import, if it is in one of the workspaces; `lock` takes it FOR UPDATE (a commit, a new mapping). */
export async function findImport(db: DbOrTx, workspaceIds: number[], id: number, lock = false): Promise<PaymentImportRecord | null> {
  const query = db
    .select(importColumns)
    .from(paymentImport)
    .where(and(eq(paymentImport.id, id), inArray(paymentImport.workspaceId, workspaceIds)));
  const [row] = await (lock ? query.for("update") : query);
  return (row as PaymentImportRecord) ?? null;
}

export const { importContent, importHead, countImports, workspaceImportMapping, rememberImportMapping } = fileImportQueries("payment");

export async function listImports(db: DbOrTx, workspaceId: number, limit: number, offset: number): Promise<PaymentImportRecord[]> {
  const rows = await db
    .select(importColumns)
    .from(paymentImport)
    .where(eq(paymentImport.workspaceId, workspaceId))
    .orderBy(desc(paymentImport.id))
    .limit(limit)
    .offset(offset);
  return rows as PaymentImportRecord[];
}

export type ImportPatch = Partial<
  Pick<
    typeof paymentImport.$inferInsert,
    "status" | "mapping" | "rowsTotal" | "rowsDone" | "rowsOk" | "rowsError" | "rowsDuplicate" | "failure" | "committedAt" | "committedById"
  >
> & { dropContent?: boolean };

/**
 * `dropContent` empties the file first, in a statement of its own: the history records an
 * import's row when its status changes (drizzle/0016_ledger.sql), and it would otherwise keep
 * the whole file in the entry's `before`.
 */
export async function updateImport(db: DbOrTx, id: number, patch: ImportPatch): Promise<void> {
  const { dropContent, ...values } = patch;
  if (dropContent) await db.update(paymentImport).set({ content: null }).where(eq(paymentImport.id, id));
  if (Object.keys(values).length > 0) await db.update(paymentImport).set(values).where(eq(paymentImport.id, id));
}

/** Every apartment's account number in the workspace, with its id. */
export async function workspaceAccounts(db: DbOrTx, workspaceId: number): Promise<[string, number][]> {
  const rows = await db
    .select({ account: apartment.accountNumber, id: apartment.id })
    .from(apartment)
    .innerJoin(house, eq(house.id, apartment.houseId))
    .where(eq(house.workspaceId, workspaceId));
  return rows.map((r) => [r.account, r.id]);
}

/** Of these external ids, the ones a payment in the workspace's accounts has (one statement, the partial unique index). */
export async function paidExternalIds(db: DbOrTx, workspaceId: number, externalIds: string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const { rows } = await db.execute<{ external_id: string }>(sql`
    select l.external_id from ledger_entry l
    where l.workspace_id = ${workspaceId} and l.kind = 'payment'
      and l.external_id in (select json_array_elements_text(${JSON.stringify(externalIds)}::json))`);
  return new Set(rows.map((r) => r.external_id));
}

export async function deleteImportRows(db: DbOrTx, importId: number): Promise<void> {
  await db.delete(paymentImportRow).where(eq(paymentImportRow.importId, importId));
}

/** One line of a file as checked (lib/payment-import/check-rows.ts) and stored. */
export interface ImportRowValues {
  line: number;
  status: PaymentImportRowStatus;
  reason: string | null;
  /** the English text of the reason, with the values (the pages show their own text for the reason) */
  message: string | null;
  raw: string;
  apartmentId: number | null;
  accountNumber: string | null;
  /** YYYY-MM-DD */
  paidOn: string | null;
  /** ₽, 2 decimals, > 0 */
  amount: string | null;
  externalId: string | null;
  payer: string | null;
  /** YYYY-MM-01 */
  period: string | null;
}

/**
 * Many rows in one statement: a JSON array unpacked by the server (one round trip, no parameter
 * limit); jsonb, so that each row is parsed once, not once per field taken from it.
 */
export async function insertImportRows(db: DbOrTx, importId: number, rows: ImportRowValues[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => [
      r.line,
      r.status,
      r.reason,
      r.message,
      r.raw,
      r.apartmentId,
      r.accountNumber,
      r.paidOn,
      r.amount,
      r.externalId,
      r.payer,
      r.period,
    ]),
  );
  await db.execute(sql`
    insert into payment_import_row
      (import_id, line, status, reason, message, raw, apartment_id, account_number, paid_on, amount, external_id, payer, period)
    select ${importId}, (r->>0)::int, r->>1, r->>2, r->>3, r->>4, (r->>5)::int, r->>6, (r->>7)::date, (r->>8)::numeric, r->>9, r->>10, (r->>11)::date
    from jsonb_array_elements(${json}::jsonb) r
    on conflict (import_id, line) do nothing`);
}

export type RowCounts = {
  total: number;
  ok: number;
  error: number;
  duplicate: number;
};

export async function countImportRows(db: DbOrTx, importId: number): Promise<RowCounts> {
  const {
    rows: [row],
  } = await db.execute<RowCounts>(sql`
    select count(*)::int as total,
           count(*) filter (where status = 'ok')::int as ok,
           count(*) filter (where status = 'error')::int as error,
           count(*) filter (where status = 'duplicate')::int as duplicate
    from payment_import_row where import_id = ${importId}`);
  return row;
}

export type ImportRowView = {
  line: number;
  status: PaymentImportRowStatus;
  reason: string | null;
  message: string | null;
  raw: string;
  apartment_id: number | null;
  apartment_number: string | null;
  house_id: number | null;
  house_address: string | null;
  account_number: string | null;
  paid_on: string | null;
  amount: string | null;
  external_id: string | null;
  payer: string | null;
  period: string | null;
};

export interface ListRowsOptions {
  status?: PaymentImportRowStatus;
  /** rows after this line (the cursor) */
  after?: number;
  limit: number;
}

/** A page of the import's rows in file order, with the apartment each pays. */
export async function listImportRows(db: DbOrTx, importId: number, options: ListRowsOptions): Promise<ImportRowView[]> {
  const { rows } = await db.execute<ImportRowView>(sql`
    select r.line, r.status, r.reason, r.message, r.raw, r.apartment_id, a.number as apartment_number, h.id as house_id,
           h.address as house_address, r.account_number, r.paid_on::text, r.amount::text, r.external_id, r.payer,
           r.period::text
    from payment_import_row r
    left join apartment a on a.id = r.apartment_id
    left join house h on h.id = a.house_id
    where r.import_id = ${importId}
      ${options.status ? sql`and r.status = ${options.status}` : sql``}
      ${options.after ? sql`and r.line > ${options.after}` : sql``}
    order by r.line
    limit ${options.limit}`);
  return rows;
}

/** Every error and duplicate row, in file order. */
export async function rejectedImportRows(
  db: DbOrTx,
  importId: number,
): Promise<{ line: number; status: PaymentImportRowStatus; reason: string; message: string; raw: string }[]> {
  const { rows } = await db.execute<{ line: number; status: PaymentImportRowStatus; reason: string; message: string; raw: string }>(sql`
    select line, status, reason, message, raw from payment_import_row
    where import_id = ${importId} and status <> 'ok' order by line`);
  return rows;
}

export interface CommitOptions {
  importId: number;
  workspaceId: number;
  personId: number | null;
  apiKeyId: number | null;
}

/**
 * Writes a payment per ok row (payments are stored negative: they lower the debt), in three
 * statements of the caller's transaction, each a set operation on indexes: a row whose apartment
 * has gone since the preview becomes an error; the payments are inserted, skipping (ON CONFLICT
 * on the partial unique index) an external id recorded since the preview; those rows become
 * duplicates (their external id's payment is not this import's).
 */
export async function commitImportRows(db: DbOrTx, options: CommitOptions): Promise<{ inserted: number }> {
  const { importId, workspaceId, personId, apiKeyId } = options;
  await db.execute(sql`
    update payment_import_row r
    set status = 'error', reason = 'account_unknown', message = 'the apartment was deleted after the preview'
    where r.import_id = ${importId} and r.status = 'ok'
      and not exists (select 1 from apartment a join house h on h.id = a.house_id
                      where a.id = r.apartment_id and h.workspace_id = ${workspaceId})`);
  const { rowCount } = await db.execute(sql`
    insert into ledger_entry (workspace_id, house_id, apartment_id, kind, entry_date, amount, period, source, external_id,
                              payer, import_id, created_by_id, api_key_id)
    select ${workspaceId}, a.house_id, r.apartment_id, 'payment', r.paid_on, -r.amount, r.period, 'import', r.external_id,
           r.payer, ${importId}, ${personId}, ${apiKeyId}
    from payment_import_row r
    join apartment a on a.id = r.apartment_id
    where r.import_id = ${importId} and r.status = 'ok'
    order by r.line
    on conflict (workspace_id, external_id) where kind = 'payment' and external_id is not null do nothing`);
  // Fewer written than ok: an external id was recorded since the preview (rare: only then the join).
  const {
    rows: [{ ok }],
  } = await db.execute<{ ok: number }>(
    sql`select count(*)::int as ok from payment_import_row where import_id = ${importId} and status = 'ok'`,
  );
  if ((rowCount ?? 0) < ok) {
    await db.execute(sql`
    update payment_import_row r
    set status = 'duplicate', reason = 'already_imported',
        message = 'a payment with external id ' || r.external_id || ' was recorded after the preview'
    from ledger_entry l
    where r.import_id = ${importId} and r.status = 'ok' and r.external_id is not null
      and l.workspace_id = ${workspaceId} and l.kind = 'payment' and l.external_id is not null and l.external_id = r.external_id
      and l.import_id is distinct from ${importId}`);
  }
  return { inserted: rowCount ?? 0 };
}
