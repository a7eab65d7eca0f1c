import { z } from "zod";
import { LEDGER_KINDS, PAYMENT_SOURCES } from "../constants";
import { decimal, id, idParam, isoDate, month, pagination, text, typeError } from "./common";
import { count, money, month as monthValue, timestamp, id as idValue } from "./values";

// The apartment's account (issue 16): payments, the opening balance, the account as of a date,
// the debtors.

const MAX_PAYMENT = "1000000000";

// ---- requests ----

export const createPaymentBody = z
  .strictObject({
    apartment_id: id.optional().meta({ description: "the apartment paid for; or give its account_number" }),
    account_number: text(20).optional().meta({ description: "the apartment's account number (лицевой счёт), instead of apartment_id" }),
    workspace_id: id
      .optional()
      .meta({ description: "where to look the account number up when the caller has several workspaces; default: all of them" }),
    paid_on: isoDate.meta({ description: "the day the money was paid (not later than today)" }),
    amount: decimal({ places: 2, min: "0", minExclusive: true, max: MAX_PAYMENT }).meta({
      description: `roubles paid, > 0, at most 2 decimals, below ${MAX_PAYMENT}`,
    }),
    period: month.optional().meta({ description: "the month this payment names (bank registries often do): it pays that month first" }),
    external_id: text(100)
      .optional()
      .meta({ description: "the bank's id of the payment: unique in the workspace, so a line sent twice is one payment" }),
    payer: text(200).optional(),
    comment: text(1000).optional(),
  })
  .refine((b) => (b.apartment_id === undefined) !== (b.account_number === undefined), {
    message: "give exactly one of apartment_id and account_number",
    path: ["apartment_id"],
  });
export type CreatePaymentBody = z.infer<typeof createPaymentBody>;

export const reversePaymentBody = z.strictObject({
  reason: text(500).meta({ description: "why the payment is reversed (kept with the reversal)" }),
});

export const openingBalanceBody = z.strictObject({
  amount: decimal({ places: 2, min: "-1000000000", max: MAX_PAYMENT, allowNegative: true }).meta({
    description: "the debt (> 0) or credit (< 0) the apartment starts with here; 0 removes the opening balance",
  }),
  date: isoDate.meta({ description: "the day the balance stands on (usually the day before the first month billed here)" }),
  comment: text(1000).optional(),
});
export type OpeningBalanceBody = z.infer<typeof openingBalanceBody>;

const MAX_OPENING_BALANCES = 10000;
export const openingBalancesBody = z.strictObject({
  workspace_id: id.optional().meta({ description: "one of the caller's workspaces; default: their own" }),
  date: isoDate.meta({ description: "the day every balance of the list stands on" }),
  balances: z
    .array(
      z.strictObject({
        account_number: text(20),
        amount: openingBalanceBody.shape.amount,
        comment: text(1000).optional(),
      }),
      { error: typeError("a list of { account_number, amount, comment? }") },
    )
    .min(1, "must hold at least one balance")
    .max(MAX_OPENING_BALANCES, `must hold at most ${MAX_OPENING_BALANCES} balances`),
});
export type OpeningBalancesBody = z.infer<typeof openingBalancesBody>;

const asOf = isoDate.optional().meta({ description: 'the day to compute the account on, "YYYY-MM-DD"; default today' });
export const accountQuery = z.strictObject({ as_of: asOf });
export const houseDebtorsQuery = z.strictObject({ as_of: asOf });
export const debtorsQuery = z.strictObject({
  as_of: asOf,
  workspace_id: idParam.optional().meta({ description: "one of the caller's workspaces; default: their own" }),
});

export const listPaymentsQuery = z.strictObject({
  workspace_id: idParam.optional().meta({ description: "only this one of the caller's workspaces; default: all of them" }),
  house_id: idParam.optional(),
  apartment_id: idParam.optional(),
  from: isoDate.optional().meta({ description: "paid on or after this day" }),
  to: isoDate.optional().meta({ description: "paid on or before this day" }),
  source: z.enum(PAYMENT_SOURCES, { error: typeError(`one of ${PAYMENT_SOURCES.join(", ")}`) }).optional(),
  import_id: idParam.optional().meta({ description: "the payments of one import" }),
  before: idParam
    .optional()
    .meta({ description: "the next page: payments with an id below this one (the `next_before` of the last page)" }),
  limit: pagination.limit,
});

// ---- responses ----

const apartmentRef = z.strictObject({
  id: idValue,
  number: z.string(),
  account_number: z.string(),
  house_id: idValue,
  address: z.string(),
});

const signedMoney = money.meta({ description: "roubles, 2 decimals; + is owed by the apartment, − is owed to it" });

const ledgerEntry = z.strictObject({
  id: idValue,
  kind: z.enum(LEDGER_KINDS),
  entry_date: z.string().meta({ description: "YYYY-MM-DD: the day the entry counts from (a reversal: the day of what it reverses)" }),
  amount: signedMoney,
  period: monthValue.nullable().meta({ description: "a charge's and a penalty's month; the month a payment names" }),
  due_date: z.string().nullable().meta({ description: "a charge's due date, fixed when its month was posted" }),
  source: z.enum(PAYMENT_SOURCES).nullable(),
  external_id: z.string().nullable(),
  payer: z.string().nullable(),
  comment: z.string().nullable(),
  reason: z.string().nullable(),
  invoice_id: idValue.nullable(),
  import_id: idValue.nullable(),
  reverses_id: idValue.nullable(),
  reversed_by: idValue.nullable(),
  created_at: timestamp,
});

export const payment = ledgerEntry.extend({
  apartment: apartmentRef,
  amount: money.meta({ description: "roubles paid, > 0" }),
});

export const paymentPage = z.strictObject({
  payments: z.array(payment),
  next_before: idValue.nullable().meta({ description: "pass as `before` for the next page; null on the last one" }),
});

const accountMonth = z.strictObject({
  period: monthValue,
  due_date: z.string().nullable(),
  charged: signedMoney,
  paid: money,
  owed: money,
  days_overdue: count,
  penalty_accrued: money.meta({
    description: "the penalty on this month's charge as of the date (ЖК РФ ст. 155 ч. 14), rounded to kopecks",
  }),
  penalty_charged: signedMoney.meta({ description: "penalties entered when this month was posted" }),
  penalty_paid: money,
});

export const account = z.strictObject({
  apartment: apartmentRef,
  as_of: z.string(),
  payment_due_day: count,
  balance: signedMoney.meta({ description: "Σ of the entries: + is debt, − is credit" }),
  opening: z.strictObject({ amount: signedMoney, paid: money, owed: money }).nullable(),
  months: z.array(accountMonth),
  penalties: z.strictObject({
    accrued: money.meta({ description: "every month's penalty as of the date" }),
    charged: signedMoney.meta({ description: "penalties already entered (at postings)" }),
    not_charged: signedMoney.meta({ description: "accrued − charged: what the next posting will enter" }),
  }),
  total_due: signedMoney.meta({ description: "what pays everything on the date: balance + penalties not yet entered" }),
  credit: money.meta({ description: "paid and not yet used: pays the next charges" }),
  months_overdue: count,
  oldest_overdue_month: monthValue.nullable(),
  entries: z.array(ledgerEntry),
});

const debtor = apartmentRef.extend({
  debt: money.meta({ description: "the balance owed (> 0)" }),
  months_overdue: count,
  oldest_overdue_month: monthValue.nullable(),
  days_overdue: count.meta({ description: "days past the due date of the oldest month still owed" }),
  penalties_not_charged: signedMoney,
  total_due: signedMoney,
});

export const debtors = z.strictObject({
  as_of: z.string(),
  total_debt: money,
  apartments_in_debt: count,
  debtors: z.array(debtor).meta({ description: "apartments that owe, the largest debt first" }),
});

export const openingBalancesResult = z.strictObject({
  date: z.string(),
  set: count.meta({ description: "apartments whose opening balance was written (new or replacing another)" }),
  removed: count.meta({ description: "apartments whose opening balance was removed (amount 0)" }),
  unchanged: count.meta({ description: "apartments that already had exactly this balance" }),
});

export type LedgerEntryOut = z.infer<typeof ledgerEntry>;
export type PaymentOut = z.infer<typeof payment>;
export type AccountOut = z.infer<typeof account>;
export type DebtorsOut = z.infer<typeof debtors>;
