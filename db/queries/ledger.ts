import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { LedgerKind, PaymentSource } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { house, invoice, keyRate, ledgerEntry, workspace } from "../schema";

// The apartment's account (issue 16): entries are only ever inserted (the table refuses UPDATE
// and DELETE, drizzle/0016_ledger.sql).

export type EntryRow = {
  id: number;
  workspace_id: number;
  house_id: number;
  apartment_id: number;
  kind: LedgerKind;
  entry_date: string;
  amount: string;
  period: string | null;
  due_date: string | null;
  reverses_id: number | null;
  reversed_by: number | null;
  source: PaymentSource | null;
  external_id: string | null;
  payer: string | null;
  comment: string | null;
  reason: string | null;
  invoice_id: number | null;
  import_id: number | null;
  created_by_id: number | null;
  api_key_id: number | null;
  created_at: string;
};

const entryColumns = sql`
  e.id, e.workspace_id, e.house_id, e.apartment_id, e.kind, e.entry_date::text as entry_date, e.amount::text as amount, e.period::text as period,
  e.due_date::text as due_date, e.reverses_id, (select r.id from ledger_entry r where r.reverses_id = e.id) as reversed_by,
  e.source, e.external_id, e.payer, e.comment, e.reason, e.invoice_id, e.import_id, e.created_by_id, e.api_key_id, e.created_at`;

/** Every entry of the apartments matched by `where` (over `e`), in the order they were written. */
async function selectEntries(db: DbOrTx, where: SQL): Promise<EntryRow[]> {
  const { rows } = await db.execute<EntryRow>(sql`select ${entryColumns} from ledger_entry e where ${where} order by e.apartment_id, e.id`);
  return [...rows];
}

export const apartmentEntries = (db: DbOrTx, apartmentId: number) => selectEntries(db, sql`e.apartment_id = ${apartmentId}`);
export const houseEntries = (db: DbOrTx, houseId: number) => selectEntries(db, sql`e.house_id = ${houseId}`);
export const workspaceEntries = (db: DbOrTx, workspaceId: number) => selectEntries(db, sql`e.workspace_id = ${workspaceId}`);

export type LedgerApartmentRow = {
  id: number;
  number: string;
  account_number: string;
  house_id: number;
  address: string;
  workspace_id: number;
  archived: boolean;
};

const apartmentColumns = sql`a.id, a.number, a.account_number, a.house_id, h.address, h.workspace_id, a.archived_at is not null as archived`;

/** The apartment with its house and workspace, if it is in one of the workspaces. */
export async function findLedgerApartment(
  db: DbOrTx,
  workspaceIds: number[],
  apartmentId: number,
): Promise<LedgerApartmentRow | undefined> {
  const { rows } = await db.execute<LedgerApartmentRow>(sql`
    select ${apartmentColumns} from apartment a join house h on h.id = a.house_id
    where a.id = ${apartmentId} and ${inArray(sql`h.workspace_id`, workspaceIds)}`);
  return rows[0];
}

/** The apartment of an account number, in one of the workspaces (the number is unique within one). */
export async function findApartmentsByAccount(db: DbOrTx, workspaceIds: number[], accountNumber: string): Promise<LedgerApartmentRow[]> {
  const { rows } = await db.execute<LedgerApartmentRow>(sql`
    select ${apartmentColumns} from apartment a join house h on h.id = a.house_id
    where a.account_number = ${accountNumber} and ${inArray(sql`h.workspace_id`, workspaceIds)}
    order by h.workspace_id`);
  return [...rows];
}

/** The apartments of account numbers in one workspace. */
export async function apartmentsByAccounts(db: DbOrTx, workspaceId: number, accountNumbers: string[]): Promise<LedgerApartmentRow[]> {
  const { rows } = await db.execute<LedgerApartmentRow>(sql`
    select ${apartmentColumns} from apartment a join house h on h.id = a.house_id
    where h.workspace_id = ${workspaceId} and ${inArray(sql`a.account_number`, accountNumbers)}`);
  return [...rows];
}

/** The opening balances in force (not reversed) of the apartments. */
export async function openingsInForce(db: DbOrTx, apartmentIds: number[]): Promise<EntryRow[]> {
  if (apartmentIds.length === 0) return [];
  return selectEntries(
    db,
    sql`${inArray(sql`e.apartment_id`, apartmentIds)} and e.kind = 'opening' and not exists (select 1 from ledger_entry r where r.reverses_id = e.id)`,
  );
}

/** Apartments of a house (or of a workspace), archived ones too: they may still owe. */
export async function ledgerApartments(db: DbOrTx, where: { houseId: number } | { workspaceId: number }): Promise<LedgerApartmentRow[]> {
  const filter = "houseId" in where ? sql`a.house_id = ${where.houseId}` : sql`h.workspace_id = ${where.workspaceId}`;
  const { rows } = await db.execute<LedgerApartmentRow>(sql`
    select ${apartmentColumns} from apartment a join house h on h.id = a.house_id where ${filter}
    order by h.address, length(a.number), a.number`);
  return [...rows];
}

/** Locks the apartment's account for a change that depends on what it holds (the opening balance). */
export async function lockAccount(db: DbOrTx, apartmentId: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('kp.account'), ${apartmentId})`);
}

export async function keyRates(db: DbOrTx, workspaceId: number): Promise<{ valid_from: string; percent: string }[]> {
  return db
    .select({ valid_from: keyRate.validFrom, percent: keyRate.percent })
    .from(keyRate)
    .where(eq(keyRate.workspaceId, workspaceId))
    .orderBy(keyRate.validFrom);
}

export async function paymentDueDay(db: DbOrTx, workspaceId: number): Promise<number> {
  const [row] = await db.select({ day: workspace.paymentDueDay }).from(workspace).where(eq(workspace.id, workspaceId));
  return row.day;
}

export type NewEntry = typeof ledgerEntry.$inferInsert;

export async function insertEntries(db: DbOrTx, rows: NewEntry[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insert(ledgerEntry).values(rows).returning({ id: ledgerEntry.id });
  return inserted.map((r) => r.id);
}

/** A payment of one of the workspaces, by id. */
export async function findPayment(db: DbOrTx, workspaceIds: number[], id: number): Promise<EntryRow | undefined> {
  const [row] = await selectEntries(db, sql`e.id = ${id} and e.kind = 'payment' and ${inArray(sql`e.workspace_id`, workspaceIds)}`);
  return row;
}

export async function findPaymentByExternalId(db: DbOrTx, workspaceId: number, externalId: string): Promise<number | undefined> {
  const [row] = await db
    .select({ id: ledgerEntry.id })
    .from(ledgerEntry)
    .where(and(eq(ledgerEntry.workspaceId, workspaceId), eq(ledgerEntry.kind, "payment"), eq(ledgerEntry.externalId, externalId)));
  return row?.id;
}

export interface PaymentFilter {
  workspaceIds: number[];
  /** one payment */
  id?: number;
  houseId?: number;
  apartmentId?: number;
  from?: string;
  to?: string;
  source?: PaymentSource;
  importId?: number;
  /** payments with a smaller id: the next page of a newest-first list */
  before?: number;
  limit: number;
}

export type PaymentRow = EntryRow & { apartment_number: string; account_number: string; address: string };

/** Payments, newest first (by date, then by id). */
export async function listPayments(db: DbOrTx, f: PaymentFilter): Promise<PaymentRow[]> {
  const where: SQL[] = [sql`e.kind = 'payment'`, inArray(sql`e.workspace_id`, f.workspaceIds)];
  if (f.id !== undefined) where.push(sql`e.id = ${f.id}`);
  if (f.houseId !== undefined) where.push(sql`e.house_id = ${f.houseId}`);
  if (f.apartmentId !== undefined) where.push(sql`e.apartment_id = ${f.apartmentId}`);
  if (f.from !== undefined) where.push(sql`e.entry_date >= ${f.from}`);
  if (f.to !== undefined) where.push(sql`e.entry_date <= ${f.to}`);
  if (f.source !== undefined) where.push(sql`e.source = ${f.source}`);
  if (f.importId !== undefined) where.push(sql`e.import_id = ${f.importId}`);
  if (f.before !== undefined) where.push(sql`e.id < ${f.before}`);
  const { rows } = await db.execute<PaymentRow>(sql`
    select ${entryColumns}, a.number as apartment_number, a.account_number, h.address
    from ledger_entry e join apartment a on a.id = e.apartment_id join house h on h.id = e.house_id
    where ${sql.join(where, sql` and `)}
    order by e.id desc
    limit ${f.limit}`);
  return [...rows];
}

/** The month's invoices of a house: what posting the month charges. */
export async function monthInvoices(
  db: DbOrTx,
  houseId: number,
  period: string,
): Promise<{ id: number; apartment_id: number; total: string }[]> {
  return db
    .select({ id: invoice.id, apartment_id: invoice.apartmentId, total: invoice.total })
    .from(invoice)
    .where(and(eq(invoice.houseId, houseId), eq(invoice.period, period)))
    .orderBy(invoice.apartmentId);
}

/** The charges and penalties a house's month wrote when it was posted, not reversed yet. */
export async function monthEntries(db: DbOrTx, houseId: number, period: string): Promise<EntryRow[]> {
  return selectEntries(
    db,
    sql`e.house_id = ${houseId} and e.period = ${period} and e.kind in ('charge', 'penalty')
        and not exists (select 1 from ledger_entry r where r.reverses_id = e.id)`,
  );
}

export async function workspaceOfHouse(db: DbOrTx, houseId: number): Promise<number> {
  const [row] = await db.select({ id: house.workspaceId }).from(house).where(eq(house.id, houseId));
  return row.id;
}
