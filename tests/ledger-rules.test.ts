import { describe, expect, it } from "vitest";
import { computeAccount, type LedgerItem } from "../lib/ledger/account";
import { chargeDueDate, daysBetween, lastDayOfMonth } from "../lib/ledger/dates";
import { chargePenalty, type KeyRate } from "../lib/ledger/penalties";
import { Dec } from "../lib/money";

// The pure rules of lib/ledger, each figure by hand. The API-level cases are in tests/ledger.test.ts.

const RATES: KeyRate[] = [
  { valid_from: "2021-12-20", percent: "8.50" },
  { valid_from: "2022-02-14", percent: "9.50" },
  { valid_from: "2022-02-28", percent: "20.00" },
  { valid_from: "2024-10-28", percent: "21.00" },
];

describe("due dates (ЖК РФ ст. 155 ч. 1, ГК РФ ст. 193)", () => {
  it("the due day of the next month, a Saturday or a Sunday moved to Monday", () => {
    expect(chargeDueDate("2024-02", 15)).toBe("2024-03-15"); // Friday
    expect(chargeDueDate("2024-05", 15)).toBe("2024-06-17"); // Saturday 15th → Monday
    expect(chargeDueDate("2024-02", 10)).toBe("2024-03-11"); // Sunday 10th → Monday
    expect(chargeDueDate("2024-12", 1)).toBe("2025-01-01"); // across the year
    expect(lastDayOfMonth("2024-02")).toBe("2024-02-29");
    expect(lastDayOfMonth("2023-02")).toBe("2023-02-28");
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2023-02-28", "2023-03-01")).toBe(1);
  });
});

describe("the rate and the 9.5 % cap (Постановление № 474)", () => {
  // 10000.00 unpaid, due 2021-12-31; the calculation date decides the rate of an unpaid amount.
  // day 31 after the due date, one day at 1/300: 10000 × rate / 300
  const oneDay = (asOf: string, due: string) => chargePenalty({ amount: new Dec("10000"), due }, [], RATES, asOf).toFixed(6);
  it("before the cap the key rate as it was; from 2022-02-28 at most 9.5 %; from 2027-01-01 the key rate again", () => {
    // due 2022-01-27, as of 2022-02-27 (day 31): rate 9.5 % (from 2022-02-14), not capped: 10000 × 9.5 % / 300 = 3.166667
    expect(oneDay("2022-02-27", "2022-01-27")).toBe("3.166667");
    // due 2022-01-28, as of 2022-02-28 (day 31): key rate 20 %, capped to 9.5 %: 3.166667
    expect(oneDay("2022-02-28", "2022-01-28")).toBe("3.166667");
    // due 2026-12-01, as of 2027-01-01 (day 31): the cap has ended, key rate 21 %: 10000 × 21 % / 300 = 7.000000
    expect(oneDay("2027-01-01", "2026-12-01")).toBe("7.000000");
    // due 2026-11-30, as of 2026-12-31 (day 31): still capped
    expect(oneDay("2026-12-31", "2026-11-30")).toBe("3.166667");
    // due 2021-11-20, as of 2021-12-21 (day 31): 8.5 % → 2.833333
    expect(oneDay("2021-12-21", "2021-11-20")).toBe("2.833333");
  });

  it("no rate known that early: no penalty rather than a guess", () => {
    expect(oneDay("2020-06-01", "2020-01-01")).toBe("0.000000");
  });
});

const entry = (id: number, kind: LedgerItem["kind"], entry_date: string, amount: string, extra: Partial<LedgerItem> = {}): LedgerItem => ({
  id,
  kind,
  entry_date,
  amount,
  period: null,
  due_date: null,
  reverses_id: null,
  ...extra,
});

describe("allocation", () => {
  it("a true-up credit (a charge below zero) pays like a payment naming no month; penalties are paid after every charge", () => {
    // opening 100.00; January 1000.00; a penalty of 50.00 entered in February; February −300.00 (a true-up credit);
    // paid 900.00 on 2024-03-20: the credit (dated 02-29) paid opening 100 and 200 of January; the payment 800 of January, then 100 of the penalty
    const items = [
      entry(1, "opening", "2023-12-31", "100.00"),
      entry(2, "charge", "2024-01-31", "1000.00", { period: "2024-01-01", due_date: "2024-02-15" }),
      entry(3, "penalty", "2024-02-29", "50.00", { period: "2024-02-01" }),
      entry(4, "charge", "2024-02-29", "-300.00", { period: "2024-02-01", due_date: "2024-03-15" }),
      entry(5, "payment", "2024-03-20", "-900.00"),
    ];
    const acc = computeAccount(items, RATES, "2024-03-20");
    expect(acc.opening).toEqual({ amount: "100.00", paid: "100.00", owed: "0.00" });
    expect(acc.months.map((m) => [m.period, m.charged, m.paid, m.owed, m.penalty_charged, m.penalty_paid])).toEqual([
      ["2024-01", "1000.00", "1000.00", "0.00", "0.00", "0.00"],
      ["2024-02", "-300.00", "0.00", "0.00", "50.00", "50.00"],
    ]);
    expect(acc).toMatchObject({ balance: "-50.00", credit: "50.00" });
  });

  it("a reversed entry and its reversal both drop out", () => {
    const items = [
      entry(1, "charge", "2024-01-31", "1000.00", { period: "2024-01-01", due_date: "2024-02-15" }),
      entry(2, "payment", "2024-02-01", "-1000.00"),
      entry(3, "reversal", "2024-02-01", "1000.00", { reverses_id: 2 }),
    ];
    // unpaid, 31 days late on 2024-03-17: 1000 × 9.5 % / 300 = 0.316… → 0.32
    const acc = computeAccount(items, RATES, "2024-03-17");
    expect(acc.months[0]).toMatchObject({ paid: "0.00", owed: "1000.00", days_overdue: 31, penalty_accrued: "0.32" });
    expect(acc.balance).toBe("1000.00");
  });

  it("each month's penalty is rounded half-up on its own, then summed", () => {
    // two charges of 1500.00, each one day into 1/300: 0.475 each → 0.48 + 0.48 = 0.96 (not round(0.95) = 0.95)
    const items = [
      entry(1, "charge", "2024-01-31", "1500.00", { period: "2024-01-01", due_date: "2024-02-15" }),
      entry(2, "charge", "2024-01-31", "1500.00", { period: "2023-12-01", due_date: "2024-02-15" }),
    ];
    expect(computeAccount(items, RATES, "2024-03-17").penalties.accrued).toBe("0.96");
  });
});
