import { Dec, type Dec as Decimal } from "../money";
import { daysBetween } from "./dates";

// Penalties (пени) for a late housing bill, ЖК РФ ст. 155 ч. 14 (as in force since 2016):
// - nothing for the first 30 days after the due date;
// - from the 31st to the 90th day, 1/300 of the key rate of the Bank of Russia a day;
// - from the 91st day on, 1/130 of it a day;
// - of the amount unpaid, "по день фактической оплаты": a payment made on a day still accrues
//   on that day and lowers the unpaid amount from the next day;
// - the rate is the one "действующей на день фактической оплаты": for an amount paid, the rate
//   on its payment day; for an amount still unpaid, the rate on the day of the calculation.
// From 28.02.2022 to 31.12.2026 the rate is at most 9.5 % (Постановление Правительства РФ от
// 26.03.2022 № 474, п. 2, as amended: the lesser of the key rate on the day and the rate of
// 27.02.2022). The moratoria on penalties themselves (06.04.2020–01.01.2021, 01.04.2022–
// 01.10.2022) are not applied: out of scope here, written in the README.

export interface KeyRate {
  valid_from: string;
  /** % a year */
  percent: string;
}

const CAP = { from: "2022-02-28", through: "2026-12-31", percent: new Dec("9.5") };

/**
 * The rate (% a year) penalties use on `date`: the key rate in force (the latest valid_from on
 * or before it; 0 when the table has none that early), capped in the cap's period.
 * `rates` sorted by valid_from ascending.
 */
export function penaltyRate(rates: readonly KeyRate[], date: string): Decimal {
  let rate = new Dec(0);
  for (const r of rates) {
    if (r.valid_from > date) break;
    rate = new Dec(r.percent);
  }
  if (date >= CAP.from && date <= CAP.through && rate.gt(CAP.percent)) return CAP.percent;
  return rate;
}

/**
 * The share of the rate a ruble unpaid from the day after `due` through `through` accrues:
 * Σ over the days n = 1 … (through − due) of 0 (n ≤ 30), 1/300 (31 ≤ n ≤ 90), 1/130 (n ≥ 91).
 */
function delayWeight(due: string, through: string): Decimal {
  const n = daysBetween(due, through);
  const mid = Math.max(0, Math.min(n, 90) - 30);
  const late = Math.max(0, n - 90);
  return new Dec(mid).div(300).plus(new Dec(late).div(130));
}

export interface PaidPart {
  amount: Decimal;
  /** the day it was paid */
  date: string;
}

/**
 * The penalty on one charge as of `asOf`, unrounded: each part paid accrues up to its payment
 * day at the rate of that day; what is still unpaid accrues up to `asOf` at the rate of `asOf`.
 */
export function chargePenalty(
  charge: { amount: Decimal; due: string },
  paid: readonly PaidPart[],
  rates: readonly KeyRate[],
  asOf: string,
): Decimal {
  let total = new Dec(0);
  let unpaid = charge.amount;
  for (const part of paid) {
    unpaid = unpaid.minus(part.amount);
    if (part.date <= charge.due) continue;
    total = total.plus(part.amount.times(penaltyRate(rates, part.date)).times(delayWeight(charge.due, part.date)));
  }
  if (unpaid.gt(0) && asOf > charge.due) {
    total = total.plus(unpaid.times(penaltyRate(rates, asOf)).times(delayWeight(charge.due, asOf)));
  }
  return total.div(100);
}
