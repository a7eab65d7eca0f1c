import type { LedgerKind } from "../constants";
import { Dec, roundMoney, type Dec as Decimal } from "../money";
import { dateToMonth, type Month } from "../months";
import { daysBetween } from "./dates";
import { chargePenalty, type KeyRate, type PaidPart } from "./penalties";

// The account of an apartment (лицевой счёт) worked out from its entries, as of a date. Pure:
// the same entries and rates give the same figures, so the API, the debtors list and the
// posting's penalty entry all agree.
//
// Allocation (how payments pay debts), as the issue sets it and ЖК РФ ст. 155 / ГК РФ ст. 319
// read together:
// - the entries of the day are taken in date order; on one day the debts appear first;
// - a payment that names its month pays that month's charge first;
// - then, and with what is left, the oldest debts: the opening balance, the charges by month,
//   then the penalties by month (charges before penalties);
// - what is still left is a credit, which pays the next debts as they appear (on their date);
// - a credit entry that is not a payment (an opening credit, a charge below zero, a true-up)
//   pays like a payment that names no month;
// - an entry and its reversal both drop out: a reversed payment never paid anything, a
//   reversed charge (its month reopened) was never due. A reversal carries the date of what it
//   reverses, so the account as of any date is the account as corrected.

export interface LedgerItem {
  id: number;
  kind: LedgerKind;
  /** YYYY-MM-DD */
  entry_date: string;
  /** signed decimal string: + raises the debt */
  amount: string;
  /** YYYY-MM-DD (first of the month) */
  period: string | null;
  due_date: string | null;
  reverses_id: number | null;
}

type DebtKind = "opening" | "charge" | "penalty";

interface Debt {
  id: number;
  kind: DebtKind;
  period: Month | null;
  date: string;
  due: string | null;
  amount: Decimal;
  paid: PaidPart[];
  paidTotal: Decimal;
}

const RANK: Record<DebtKind, number> = { opening: 0, charge: 1, penalty: 2 };

const byAge = (a: Debt, b: Debt): number =>
  RANK[a.kind] - RANK[b.kind] || (a.period ?? "").localeCompare(b.period ?? "") || a.date.localeCompare(b.date) || a.id - b.id;

/** Entries by apartment, in the order given (Map.groupBy is not in Node 20). */
export function byApartment<T extends { apartment_id: number }>(items: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of items) {
    const list = map.get(item.apartment_id);
    if (list) list.push(item);
    else map.set(item.apartment_id, [item]);
  }
  return map;
}

/** The entries in force: those dated on or before `asOf`, less every reversed entry and its reversal. */
export function entriesInForce<T extends LedgerItem>(items: readonly T[], asOf: string): T[] {
  const dated = items.filter((e) => e.entry_date <= asOf);
  const reversed = new Set(dated.filter((e) => e.kind === "reversal").map((e) => e.reverses_id));
  return dated.filter((e) => e.kind !== "reversal" && !reversed.has(e.id));
}

interface Allocated {
  debts: Debt[];
  /** paid and not yet used: pays the next debts */
  credit: Decimal;
}

/** Who paid what and when, from the entries in force (entriesInForce). */
function allocate(inForce: readonly LedgerItem[]): Allocated {
  const events = inForce
    .map((e) => ({ e, amount: new Dec(e.amount) }))
    .sort((a, b) => a.e.entry_date.localeCompare(b.e.entry_date) || Number(b.amount.gt(0)) - Number(a.amount.gt(0)) || a.e.id - b.e.id);
  const debts: Debt[] = [];
  let credit = new Dec(0);
  const pay = (debt: Debt, available: Decimal, date: string): Decimal => {
    const part = Dec.min(available, debt.amount.minus(debt.paidTotal));
    if (part.lte(0)) return available;
    debt.paid.push({ amount: part, date });
    debt.paidTotal = debt.paidTotal.plus(part);
    return available.minus(part);
  };
  for (const { e, amount } of events) {
    if (amount.gt(0)) {
      const debt: Debt = {
        id: e.id,
        kind: e.kind as DebtKind,
        period: e.period ? dateToMonth(e.period) : null,
        date: e.entry_date,
        due: e.due_date,
        amount,
        paid: [],
        paidTotal: new Dec(0),
      };
      debts.push(debt);
      credit = pay(debt, credit, e.entry_date);
      continue;
    }
    let left = amount.neg();
    const open = debts.filter((d) => d.paidTotal.lt(d.amount)).sort(byAge);
    const named = e.kind === "payment" && e.period ? dateToMonth(e.period) : null;
    if (named) for (const d of open) if (d.kind === "charge" && d.period === named) left = pay(d, left, e.entry_date);
    for (const d of open) {
      if (left.lte(0)) break;
      left = pay(d, left, e.entry_date);
    }
    credit = credit.plus(left);
  }
  return { debts, credit };
}

interface AccountMonth {
  period: Month;
  due_date: string | null;
  charged: string;
  paid: string;
  owed: string;
  /** days past the due date with something still owed, as of the date; 0 when not overdue */
  days_overdue: number;
  /** the penalty on this month's charge, as of the date (rounded to kopecks) */
  penalty_accrued: string;
  /** penalty entries written when this month was posted */
  penalty_charged: string;
  penalty_paid: string;
}

export interface AccountFigures {
  as_of: string;
  /** Σ of the entries in force: + is debt, − is credit */
  balance: string;
  opening: { amount: string; paid: string; owed: string } | null;
  months: AccountMonth[];
  penalties: { accrued: string; charged: string; not_charged: string };
  /** what clears the account on the date: the balance plus penalties accrued and not yet charged */
  total_due: string;
  credit: string;
  /** months with a charge still owed past its due date */
  months_overdue: number;
  oldest_overdue_month: Month | null;
}

/** The account as of `asOf` (YYYY-MM-DD). `rates` sorted by valid_from. */
export function computeAccount(items: readonly LedgerItem[], rates: readonly KeyRate[], asOf: string): AccountFigures {
  const inForce = entriesInForce(items, asOf);
  const { debts, credit } = allocate(inForce);
  const months = new Map<
    Month,
    { due: string | null; charged: Decimal; paid: Decimal; accrued: Decimal; pCharged: Decimal; pPaid: Decimal; overdue: number }
  >();
  const month = (period: Month) => {
    let m = months.get(period);
    if (!m) {
      m = { due: null, charged: new Dec(0), paid: new Dec(0), accrued: new Dec(0), pCharged: new Dec(0), pPaid: new Dec(0), overdue: 0 };
      months.set(period, m);
    }
    return m;
  };
  let opening: AccountFigures["opening"] = null;
  let openingAmount = new Dec(0);
  let openingPaid = new Dec(0);
  let balance = new Dec(0);
  for (const e of inForce) {
    balance = balance.plus(e.amount);
    if (e.kind === "opening") openingAmount = openingAmount.plus(e.amount);
  }
  for (const d of debts) {
    if (d.kind === "opening") {
      openingPaid = openingPaid.plus(d.paidTotal);
      continue;
    }
    const m = month(d.period!);
    if (d.kind === "penalty") {
      m.pCharged = m.pCharged.plus(d.amount);
      m.pPaid = m.pPaid.plus(d.paidTotal);
      continue;
    }
    m.due = d.due;
    m.charged = m.charged.plus(d.amount);
    m.paid = m.paid.plus(d.paidTotal);
    m.accrued = m.accrued.plus(chargePenalty({ amount: d.amount, due: d.due! }, d.paid, rates, asOf));
    if (d.paidTotal.lt(d.amount) && asOf > d.due!) m.overdue = Math.max(m.overdue, daysBetween(d.due!, asOf));
  }
  // charges below zero (a true-up credit) and penalty corrections below zero: shown in their month
  for (const e of inForce) {
    if ((e.kind === "charge" || e.kind === "penalty") && new Dec(e.amount).lt(0)) {
      const m = month(dateToMonth(e.period!));
      if (e.kind === "charge") {
        m.charged = m.charged.plus(e.amount);
        m.due ??= e.due_date;
      } else m.pCharged = m.pCharged.plus(e.amount);
    }
  }
  if (!openingAmount.isZero()) {
    opening = {
      amount: roundMoney(openingAmount),
      paid: roundMoney(openingPaid),
      owed: roundMoney(Dec.max(openingAmount.minus(openingPaid), 0)),
    };
  }
  const list: AccountMonth[] = [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, m]) => ({
      period,
      due_date: m.due,
      charged: roundMoney(m.charged),
      paid: roundMoney(m.paid),
      owed: roundMoney(Dec.max(m.charged.minus(m.paid), 0)),
      days_overdue: m.overdue,
      penalty_accrued: roundMoney(m.accrued),
      penalty_charged: roundMoney(m.pCharged),
      penalty_paid: roundMoney(m.pPaid),
    }));
  // each charge month's penalty is rounded to kopecks, then summed
  const accrued = list.reduce((sum, m) => sum.plus(m.penalty_accrued), new Dec(0));
  const charged = list.reduce((sum, m) => sum.plus(m.penalty_charged), new Dec(0));
  const overdue = list.filter((m) => m.days_overdue > 0);
  return {
    as_of: asOf,
    balance: roundMoney(balance),
    opening,
    months: list,
    penalties: { accrued: roundMoney(accrued), charged: roundMoney(charged), not_charged: roundMoney(accrued.minus(charged)) },
    total_due: roundMoney(balance.plus(accrued).minus(charged)),
    credit: roundMoney(credit),
    months_overdue: overdue.length,
    oldest_overdue_month: overdue[0]?.period ?? null,
  };
}
