import { and, eq, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { ACTIVE_RUN_STATUSES, type MonthAction, type OutOfDateReason } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { apartment, billingRun, house, houseMonth, houseMonthEvent, invoice, person } from "../schema";
import { a, apartmentOrder } from "./fragments";

/**
 * Posting takes the lock a billing chunk takes for the same house and month
 * (billing.lockChunkHouses): a chunk writing its drafts finishes before the month is posted.
 */
export async function lockHouseMonth(db: DbOrTx, houseId: number, period: string): Promise<void> {
  const monthKey = Number(period.slice(0, 4)) * 100 + Number(period.slice(5, 7));
  await db.execute(sql`select pg_advisory_xact_lock(${houseId}, ${monthKey})`);
}

/** The house's latest posted month (first day), if any: that month and every one before it are closed. */
export async function closedThrough(db: DbOrTx, houseId: number): Promise<string | null> {
  const [row] = await db
    .select({ period: sql<string | null>`max(${houseMonth.period})::text` })
    .from(houseMonth)
    .where(eq(houseMonth.houseId, houseId));
  return row?.period ?? null;
}

export type PostedMonthRow = { period: string; posted_at: string; posted_by_id: number | null };

export async function findPostedMonth(db: DbOrTx, houseId: number, period: string): Promise<PostedMonthRow | undefined> {
  const {
    rows: [row],
  } = await db.execute<PostedMonthRow>(sql`
    select ${houseMonth.period}::text as period, ${houseMonth.postedAt} as posted_at, ${houseMonth.postedById} as posted_by_id
    from ${houseMonth} where ${houseMonth.houseId} = ${houseId} and ${houseMonth.period} = ${period}::date`);
  return row;
}

/**
 * A draft of the house's month that is out of date, its apartment joined as `a`. An archived
 * apartment's draft is left out: runs no longer bill it, so billing the month again could not
 * bring it up to date; it keeps the figures it was billed with.
 */
const outOfDateDraft = (houseId: SQL | AnyPgColumn | number, period: string) => sql`
  ${invoice.houseId} = ${houseId} and ${invoice.period} = ${period}::date and ${invoice.postedAt} is null
  and cardinality(${invoice.outOfDate}) > 0 and ${a.archivedAt} is null`;

/**
 * How far a house's month is billed, one row: its invoices, drafts out of date, apartments a run
 * bills and those of them without an invoice. The house is a value or a column of an outer
 * query (the month board runs it for every house of a workspace, lateral).
 */
export const monthFigures = (houseId: SQL | AnyPgColumn | number, period: string): SQL => sql`
  select (select count(*)::int from ${invoice} where ${invoice.houseId} = ${houseId} and ${invoice.period} = ${period}::date) as invoices,
         (select count(*)::int from ${invoice} join ${apartment} ${a} on ${a.id} = ${invoice.apartmentId}
           where ${outOfDateDraft(houseId, period)}) as out_of_date,
         (select count(*)::int from ${apartment} where ${apartment.houseId} = ${houseId} and ${apartment.archivedAt} is null) as apartments,
         (select count(*)::int from ${apartment}
           where ${apartment.houseId} = ${houseId} and ${apartment.archivedAt} is null
             and not exists (select 1 from ${invoice} where ${invoice.apartmentId} = ${apartment.id} and ${invoice.period} = ${period}::date))
           as unbilled_apartments`;

export type MonthCountsRow = {
  invoices: number;
  out_of_date: number;
  /** apartments a run bills now (not archived) */
  apartments: number;
  /** of them, those without an invoice for the month */
  unbilled_apartments: number;
};

/** How far a house's month is billed (monthFigures). */
export async function monthCounts(db: DbOrTx, houseId: number, period: string): Promise<MonthCountsRow> {
  const {
    rows: [row],
  } = await db.execute<MonthCountsRow>(monthFigures(houseId, period));
  return row;
}

export type OutOfDateRow = { invoice_id: number; apartment_id: number; apartment_number: string; reasons: OutOfDateReason[] };

/** The month's drafts that are out of date, in apartment order, with why. */
export async function outOfDateInvoices(db: DbOrTx, houseId: number, period: string): Promise<OutOfDateRow[]> {
  const { rows } = await db.execute<OutOfDateRow>(sql`
    select ${invoice.id} as invoice_id, ${a.id} as apartment_id, ${a.number} as apartment_number, ${invoice.outOfDate} as reasons
    from ${invoice} join ${apartment} ${a} on ${a.id} = ${invoice.apartmentId}
    where ${outOfDateDraft(houseId, period)}
    order by ${apartmentOrder(a)}`);
  return [...rows];
}

export type UnbilledApartmentRow = { apartment_id: number; apartment_number: string };

/** Apartments a run bills now that have no invoice for the month (added after the run). */
export async function unbilledApartments(db: DbOrTx, houseId: number, period: string): Promise<UnbilledApartmentRow[]> {
  const { rows } = await db.execute<UnbilledApartmentRow>(sql`
    select ${a.id} as apartment_id, ${a.number} as apartment_number from ${apartment} ${a}
    where ${a.houseId} = ${houseId} and ${a.archivedAt} is null
      and not exists (select 1 from ${invoice} where ${invoice.apartmentId} = ${a.id} and ${invoice.period} = ${period}::date)
    order by ${apartmentOrder(a)}`);
  return [...rows];
}

/** The earliest month before this one with draft invoices in the house (months are posted in order). */
export async function earlierDraftMonth(db: DbOrTx, houseId: number, period: string): Promise<string | null> {
  const [row] = await db
    .select({ period: sql<string | null>`min(${invoice.period})::text` })
    .from(invoice)
    .where(and(eq(invoice.houseId, houseId), sql`${invoice.period} < ${period}::date`, sql`${invoice.postedAt} is null`));
  return row?.period ?? null;
}

/** A run under way (queued or running) that bills this house's month: its own, or its workspace's. */
export async function activeRunFor(db: DbOrTx, houseId: number, period: string): Promise<number | null> {
  const [row] = await db
    .select({ id: billingRun.id })
    .from(billingRun)
    .innerJoin(house, eq(house.id, houseId))
    .where(
      and(
        eq(billingRun.period, period),
        sql`${billingRun.status} in (${sql.join(
          ACTIVE_RUN_STATUSES.map((s) => sql`${s}`),
          sql`, `,
        )})`,
        sql`(${billingRun.houseId} = ${houseId} or (${billingRun.houseId} is null and ${billingRun.workspaceId} = ${house.workspaceId}))`,
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

/** Posts a house's month: the month's row, and every invoice of it final. */
export async function postMonth(db: DbOrTx, values: { houseId: number; period: string; personId: number | null }): Promise<void> {
  await db.insert(houseMonth).values({ houseId: values.houseId, period: values.period, postedById: values.personId });
  await db
    .update(invoice)
    .set({ postedAt: sql`now()` })
    .where(and(eq(invoice.houseId, values.houseId), eq(invoice.period, values.period)));
}

/** Reopens a posted month: its invoices are drafts again (as they were: not out of date). */
export async function reopenMonth(db: DbOrTx, houseId: number, period: string): Promise<void> {
  await db.delete(houseMonth).where(and(eq(houseMonth.houseId, houseId), eq(houseMonth.period, period)));
  await db
    .update(invoice)
    .set({ postedAt: null })
    .where(and(eq(invoice.houseId, houseId), eq(invoice.period, period)));
}

export async function insertMonthEvent(
  db: DbOrTx,
  values: { houseId: number; period: string; action: MonthAction; personId: number | null; reason: string | null },
): Promise<void> {
  await db.insert(houseMonthEvent).values(values);
}

export type MonthEventRow = { action: MonthAction; at: string; person_id: number | null; phone: string | null; reason: string | null };

/** The month's postings and reopenings, oldest first, with who (their phone) and why. */
export async function listMonthEvents(db: DbOrTx, houseId: number, period: string): Promise<MonthEventRow[]> {
  const rows = await db
    .select({
      action: houseMonthEvent.action,
      at: sql<string>`${houseMonthEvent.createdAt}`,
      person_id: houseMonthEvent.personId,
      phone: person.phone,
      reason: houseMonthEvent.reason,
    })
    .from(houseMonthEvent)
    .leftJoin(person, eq(person.id, houseMonthEvent.personId))
    .where(and(eq(houseMonthEvent.houseId, houseId), eq(houseMonthEvent.period, period)))
    .orderBy(houseMonthEvent.id);
  return rows;
}
