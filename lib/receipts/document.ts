import { createTranslator } from "next-intl";
import type { InvoiceRow } from "../../db/queries/invoices";
import type { EntryRow } from "../../db/queries/ledger";
import type { ReceiptApartmentRow } from "../../db/queries/receipts";
import type { RequisitesRow } from "../../db/queries/requisites";
import ruBilling from "../../messages/ru/billing.json";
import ruCommon from "../../messages/ru/common.json";
import { explainMeter, type ExplainTranslator } from "../billing/explain";
import type { Unit } from "../constants";
import { computeAccount, entriesInForce } from "../ledger/account";
import { chargeDueDate, lastDayOfMonth } from "../ledger/dates";
import type { KeyRate } from "../ledger/penalties";
import { Dec, roundMoney } from "../money";
import { addMonths, dateToMonth, type Month } from "../months";

// The content of one payment document (единый платёжный документ) for an apartment and a month,
// worked out from the invoice and the apartment's account: what lib/receipts/pdf.ts prints and
// the QR code carries. Pure, so that one apartment and a house of a thousand give the same page.
//
// What it holds follows Правила № 354 п. 69 and the example form of приказ Минстроя России от
// 26.01.2018 № 43/пр: the payer (address, account number, name, area, persons registered); the
// organisation and its bank details; the month and the due date; per service its unit, volume,
// tariff, the amount charged, the recalculation (п. 69 «ж»: a true-up of earlier months, with its
// basis) and the total; the meters with their previous and current readings, or the estimate
// used and why (пп. 59, 60); the debt at the start of the month, the payments received in it,
// the penalties (ЖК РФ ст. 155 ч. 14) and the total to pay.
//
// The account's figures, read as of the month's days (lib/ledger/account.ts):
// - debt at the start: the balance as of the last day of the month before (+ debt, − advance);
// - paid: the payments in force dated within the month;
// - charged: the month's invoice total (the charge posting writes, dated the month's last day);
// - penalties: the penalty entries in force dated within the month, plus those accrued up to
//   the month's last day and not yet entered (a draft's: posting would enter them);
// - to pay: the balance as of the month's last day, plus the month's charge when it is not yet
//   posted, plus the penalties not yet entered. Anything else the ledger holds within the month
//   (an opening balance dated in it) is the difference, shown as «прочие изменения».
// A payment made after the month is on the next month's document, not on this one: a posted
// month's document stays what it was.

/** The organisation that bills, as its workspace keeps it (lib/registry/requisites.ts). */
export type ReceiptPayee = RequisitesRow;

interface ReceiptLine {
  service: string;
  unit: Unit;
  /** m³ with 3 decimals, m² with 2, persons and apartments whole (a true-up line: the actual volume) */
  quantity: string;
  /** ₽ per unit, as the run fixed it */
  price: string;
  /** the month's charge (a true-up line: without the recalculation) */
  charged: string;
  /** the recalculation of earlier months (п. 61: a true-up); "0.00" when none */
  recalculation: string;
  /** why, in words, when there is a recalculation */
  basis: string | null;
  total: string;
}

interface ReceiptMeter {
  serial: string;
  service: string;
  previous: { period: Month; value: string } | null;
  current: { period: Month; value: string } | null;
  volume: string;
  /** how the volume was obtained when it is not the difference of two readings, and why */
  note: string;
}

interface ReceiptFigures {
  /** + debt, − advance */
  debtAtStart: string;
  paid: string;
  charged: string;
  penalties: string;
  /** what else the account holds within the month (an opening balance dated in it) */
  other: string;
  /** what clears the account at the month's end: + to pay, − advance */
  balance: string;
  /** max(balance, 0): the amount of the QR code */
  toPay: string;
}

export interface ReceiptDocument {
  period: Month;
  /** the month is not posted: the document is a draft */
  draft: boolean;
  dueDate: string;
  payee: ReceiptPayee;
  payer: {
    accountNumber: string;
    ownerName: string;
    address: string;
    apartmentNumber: string;
    area: string;
    residents: number;
  };
  lines: ReceiptLine[];
  meters: ReceiptMeter[];
  figures: ReceiptFigures;
}

export interface ReceiptInput {
  apartment: ReceiptApartmentRow;
  invoice: InvoiceRow;
  /** the apartment's ledger entries (all of them: the account is worked out to the month's end) */
  entries: readonly EntryRow[];
  rates: readonly KeyRate[];
  payee: ReceiptPayee;
  paymentDueDay: number;
}

const explain = createTranslator({ locale: "ru", messages: ruBilling, namespace: "explain" }) as unknown as ExplainTranslator;
const comma = (value: string) => value.replace(".", ",");
/** "2026-11-16" → "16.11.2026" */
export const ruDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
const EXPLAIN_FORMAT = { volume: comma, normative: comma, date: ruDate };
const FLAG_NAMES: Record<string, string> = ruCommon.flags;
const METER_SERVICE_NAMES: Record<string, string> = { cold_water: "ХВС", hot_water: "ГВС" };

const MONTH_NAME = new Intl.DateTimeFormat("ru-RU", { year: "numeric", month: "long", timeZone: "UTC" });

/** "2026-11" → "ноябрь 2026 г." */
export const monthName = (month: Month): string => MONTH_NAME.format(new Date(`${month}-15T00:00:00Z`));

export function buildReceipt(input: ReceiptInput): ReceiptDocument {
  const { apartment, invoice, entries, rates, payee } = input;
  const period = dateToMonth(invoice.period);
  const draft = invoice.posted_at === null;
  const end = lastDayOfMonth(period);
  const start = lastDayOfMonth(addMonths(period, -1));
  const first = `${period}-01`;

  const atStart = computeAccount(entries, rates, start);
  const atEnd = computeAccount(entries, rates, end);
  const within = entriesInForce(entries, end).filter((e) => e.entry_date >= first);
  const sum = (kind: EntryRow["kind"]) => within.filter((e) => e.kind === kind).reduce((s, e) => s.plus(e.amount), new Dec(0));
  const paid = sum("payment").negated();
  const penalties = sum("penalty").plus(atEnd.penalties.not_charged);
  const charged = new Dec(invoice.total);
  const balance = new Dec(atEnd.balance).plus(draft ? charged : 0).plus(atEnd.penalties.not_charged);
  const other = balance.minus(atStart.balance).minus(charged).minus(penalties).plus(paid);

  const lines: ReceiptLine[] = [];
  const meters: ReceiptMeter[] = [];
  for (const line of invoice.lines) {
    const details = line.details;
    const split = "meters" in details ? details.true_up : null;
    const trueUps = "meters" in details ? details.meters.filter((m) => m.kind === "true_up" && m.true_up) : [];
    lines.push({
      service: line.service_name.ru,
      unit: line.unit,
      // a true-up line bills the actual volume less what was estimated before: the document shows
      // the month's charge for the actual volume and the estimate's recalculation apart, so its
      // volume is the actual one (volume × tariff = charged)
      quantity: split ? new Dec(line.quantity).plus(split.estimated).toFixed(3) : line.quantity,
      price: line.price,
      charged: split ? split.charge : line.amount,
      recalculation: split ? split.recalculation : "0.00",
      basis: split
        ? `${line.service_name.ru}: ${trueUps
            .map((m) => `сч. № ${m.serial_number} — ${explainMeter(m, explain, EXPLAIN_FORMAT)[0]} м³`)
            .join("; ")} (Правила № 354, п. 61)`
        : null,
      total: line.amount,
    });
    if (line.kind !== "meter" || !("meters" in details)) continue;
    for (const m of details.meters) {
      const why = explainMeter(m, explain, EXPLAIN_FORMAT);
      const notes = why.length > 0 ? why : m.flag ? [FLAG_NAMES[m.flag] ?? m.flag] : [];
      meters.push({
        serial: m.serial_number,
        service: METER_SERVICE_NAMES[m.service ?? line.service] ?? line.service_name.ru,
        previous: m.previous,
        current: m.current,
        volume: m.consumption,
        note: notes.join("; "),
      });
    }
  }

  return {
    period,
    draft,
    dueDate: chargeDueDate(period, input.paymentDueDay),
    payee,
    payer: {
      accountNumber: apartment.account_number,
      ownerName: apartment.owner_name,
      address: `${apartment.address}, кв. ${apartment.number}`,
      apartmentNumber: apartment.number,
      area: apartment.area,
      residents: apartment.residents,
    },
    lines,
    meters,
    figures: {
      debtAtStart: atStart.balance,
      paid: roundMoney(paid),
      charged: roundMoney(charged),
      penalties: roundMoney(penalties),
      other: roundMoney(other),
      balance: roundMoney(balance),
      toPay: roundMoney(Dec.max(balance, 0)),
    },
  };
}
