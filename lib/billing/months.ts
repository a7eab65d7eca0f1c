import type { DbOrTx } from "../../db/client";
import * as months from "../../db/queries/months";
import { ApiError } from "../api/errors";
import type { Scope } from "../auth/scope";
import { dateToMonth, monthToDate, type Month } from "../months";
import { assertNotFuture } from "../periods";
import { findHouse } from "../registry/houses";
import { toIso } from "../registry/serialize";
import type { BillingCheck, HouseMonth } from "../schemas/responses";
import { reverseMonthEntries, writeMonthEntries } from "../ledger/month-entries";
import { getBillingCheck } from "./billing-check";
import { monthClosed } from "./month-closed";

// The month of a house, from billed to closed (issue 14; Правила № 354 leave the mechanics of
// the books to the manager, ЖК РФ ст. 155 only sets when the bill is due):
// - a run writes draft invoices; a draft is out of date once something it was billed from
//   changes (drizzle/0014_month-guards.sql marks it, with why), and billing the month again
//   brings it up to date;
// - posting closes the month: refused while a run bills it, while no invoice exists or an
//   apartment has none, while a draft is out of date, while the check finds what would block a
//   run, and while an earlier month of the house is still a draft (months close in order);
// - a closed month and every month before it take no reading, price or normative any more (the
//   database refuses: 409 month_closed); a correction goes into the next open month's true-up;
// - only the latest posted month can be reopened, by an owner of the workspace, with a reason;
//   postings and reopenings are kept with who and when;
// - posting writes the month's charges (and the penalties accrued up to its last day) into the
//   apartments' accounts; reopening reverses them (lib/ledger/month-entries.ts).

/** 409 with a reason of its own for each way posting or reopening is refused. */
function refuse(reason: ConstructorParameters<typeof ApiError>[0]["reason"], message: string, params?: Record<string, string | number>) {
  return new ApiError({ reason, message, params });
}

/** The month's billing state: what posting needs, and why it is refused if it is. */
export async function getHouseMonth(db: DbOrTx, scope: Scope, houseId: number, month: Month): Promise<HouseMonth> {
  const house = await findHouse(db, scope, houseId);
  assertNotFuture(month, "a month can be looked at");
  const period = monthToDate(month);
  const [counts, posted, closed, outOfDate, unbilled, events, runId, earlier] = await Promise.all([
    months.monthCounts(db, house.id, period),
    months.findPostedMonth(db, house.id, period),
    months.closedThrough(db, house.id),
    months.outOfDateInvoices(db, house.id, period),
    months.unbilledApartments(db, house.id, period),
    months.listMonthEvents(db, house.id, period),
    months.activeRunFor(db, house.id, period),
    months.earlierDraftMonth(db, house.id, period),
  ]);
  const state: HouseMonth["state"] = posted
    ? "posted"
    : counts.invoices === 0
      ? "not_billed"
      : counts.out_of_date > 0 || counts.unbilled_apartments > 0
        ? "out_of_date"
        : "draft";
  const blockers = async () => (await getBillingCheck(db, scope, house.id, month)).blocking;
  const refusal = posted ? null : await postRefusal(house.id, month, { address: house.address, blockers, counts, runId, earlier, closed });
  return {
    house_id: house.id,
    period: month,
    state,
    closed: closed !== null && closed >= period,
    closed_through: closed === null ? null : dateToMonth(closed),
    posted_at: posted ? toIso(posted.posted_at) : null,
    posted_by: posted?.posted_by_id ?? null,
    invoices: counts.invoices,
    run_id: runId,
    out_of_date: outOfDate.map((r) => ({
      invoice_id: r.invoice_id,
      apartment_id: r.apartment_id,
      apartment_number: r.apartment_number,
      reasons: r.reasons,
    })),
    unbilled_apartments: unbilled,
    can_post: refusal === null && !posted,
    post_refused: refusal === null ? null : { reason: refusal.reason, message: refusal.message, params: refusal.params ?? {} },
    can_reopen: posted !== undefined && closed === period,
    events: events.map((e) => ({ action: e.action, at: toIso(e.at), person_id: e.person_id, phone: e.phone, reason: e.reason })),
  };
}

interface RefusalInputs {
  address: string;
  /** what would block a run of the month (the check's `blocking`), asked only when it matters */
  blockers: () => Promise<BillingCheck["blocking"]>;
  counts: months.MonthCountsRow;
  runId: number | null;
  earlier: string | null;
  closed: string | null;
}

/** Why the month cannot be posted now, or null when it can. */
async function postRefusal(houseId: number, month: Month, found: RefusalInputs): Promise<ApiError | null> {
  const period = monthToDate(month);
  if (found.closed !== null && found.closed >= period) {
    return monthClosed({ month, closed_through: dateToMonth(found.closed), house_id: houseId, address: found.address });
  }
  if (found.runId !== null) {
    return refuse("month_run_in_progress", `run ${found.runId} is billing ${month}: post the month when it has finished`, {
      month,
      run_id: found.runId,
    });
  }
  if (found.earlier !== null) {
    const earlier = dateToMonth(found.earlier);
    return refuse("earlier_month_open", `${earlier} is not posted yet: months are posted in order`, { month, earlier });
  }
  if (found.counts.invoices === 0) {
    return refuse("month_not_billed", `${month} has not been billed: run the billing first`, { month });
  }
  if (found.counts.out_of_date > 0 || found.counts.unbilled_apartments > 0) {
    return refuse(
      "month_out_of_date",
      `${found.counts.out_of_date} invoices of ${month} are out of date and ${found.counts.unbilled_apartments} apartments have none: bill the month again first`,
      { month, invoices: found.counts.out_of_date, apartments: found.counts.unbilled_apartments },
    );
  }
  const blocking = await found.blockers();
  if (blocking.length > 0) {
    const [first] = blocking;
    return refuse("month_blocked", `${month} cannot be billed as it stands (${first.problem}: ${first.service}): fix it and bill again`, {
      month,
      problem: first.problem,
      service: first.service,
    });
  }
  return null;
}

/**
 * Posts (closes) a house's month: its invoices become final and the month takes no more
 * writes. Takes the billing chunks' lock for the house and month, so nothing is being billed
 * into it meanwhile, and checks again inside the transaction.
 */
export async function postHouseMonth(
  db: DbOrTx,
  scope: Scope,
  houseId: number,
  month: Month,
  personId: number | null,
): Promise<HouseMonth> {
  const house = await findHouse(db, scope, houseId);
  assertNotFuture(month, "months can be posted");
  const period = monthToDate(month);
  // What would block a run, read before the transaction (the check reads in parallel): anything
  // that could add a blocker since (a price or normative removed) marks the drafts out of date,
  // which is checked again inside.
  const blocking = (await getBillingCheck(db, scope, house.id, month)).blocking;
  await db.transaction(async (tx) => {
    await months.lockHouseMonth(tx, house.id, period);
    if (await months.findPostedMonth(tx, house.id, period)) {
      throw refuse("month_already_posted", `${month} is already posted for this house`, { month });
    }
    // one statement at a time: a transaction is one connection
    const counts = await months.monthCounts(tx, house.id, period);
    const runId = await months.activeRunFor(tx, house.id, period);
    const earlier = await months.earlierDraftMonth(tx, house.id, period);
    const closed = await months.closedThrough(tx, house.id);
    const blockers = () => Promise.resolve(blocking);
    const refusal = await postRefusal(house.id, month, { address: house.address, blockers, counts, runId, earlier, closed });
    if (refusal) throw refusal;
    await months.postMonth(tx, { houseId: house.id, period, personId });
    await months.insertMonthEvent(tx, { houseId: house.id, period, action: "post", personId, reason: null });
    // the month's charges and the penalties up to its last day go into the accounts (issue 16)
    await writeMonthEntries(tx, house.id, month, { personId });
  });
  return getHouseMonth(db, scope, house.id, month);
}

/**
 * Reopens the house's latest posted month, for its owner, with the reason kept: its invoices
 * are drafts again and its readings, prices and normatives can be corrected, then billed again.
 */
export async function reopenHouseMonth(
  db: DbOrTx,
  scope: Scope,
  houseId: number,
  month: Month,
  who: { personId: number; reason: string },
): Promise<HouseMonth> {
  const house = await findHouse(db, scope, houseId);
  const period = monthToDate(month);
  await db.transaction(async (tx) => {
    await months.lockHouseMonth(tx, house.id, period);
    if (!(await months.findPostedMonth(tx, house.id, period))) {
      throw refuse("month_not_posted", `${month} is not posted for this house: there is nothing to reopen`, { month });
    }
    const closed = (await months.closedThrough(tx, house.id))!;
    if (closed !== period) {
      const later = dateToMonth(closed);
      throw refuse("later_month_posted", `${later} is posted after it: only the latest posted month can be reopened`, { month, later });
    }
    await months.reopenMonth(tx, house.id, period);
    await months.insertMonthEvent(tx, { houseId: house.id, period, action: "reopen", personId: who.personId, reason: who.reason });
    await reverseMonthEntries(tx, house.id, month, { personId: who.personId }, who.reason);
  });
  return getHouseMonth(db, scope, house.id, month);
}

/** A run of a closed month is refused before it is queued (409 month_closed); call it in the run's transaction. */
export async function assertMonthOpen(db: DbOrTx, house: { id: number; address: string }, month: Month): Promise<void> {
  // the posting's lock: a posting and a run's start for the month never cross
  await months.lockHouseMonth(db, house.id, monthToDate(month));
  const closed = await months.closedThrough(db, house.id);
  if (closed !== null && closed >= monthToDate(month)) {
    throw monthClosed({ month, closed_through: dateToMonth(closed), house_id: house.id, address: house.address });
  }
}
