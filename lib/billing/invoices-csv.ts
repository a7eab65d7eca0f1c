import { createTranslator } from "next-intl";
import type { DbOrTx } from "../../db/client";
import enBilling from "../../messages/en/billing.json";
import en from "../../messages/en/common.json";
import ruBilling from "../../messages/ru/billing.json";
import ru from "../../messages/ru/common.json";
import type { Scope } from "../auth/scope";
import type { Month } from "../months";
import { findHouse } from "../registry/houses";
import type { CsvLanguage } from "../schemas/billing";
import type { InvoiceLine } from "../schemas/responses";
import { explainMeter, explainSplit, type ExplainTranslator } from "./explain";
import { listHouseInvoices } from "./invoices";

export interface InvoicesCsvOptions {
  houseId: number;
  period: Month;
  /** headers, flag names and explanations; "ru" also writes decimal commas (Russian Excel) */
  language: CsvLanguage;
}

// Units, flag names and the explanations of estimates are the UI's own
// (messages/<lang>/common.json, billing.json), so the file reads the same as the page; service
// names are the workspace's catalogue's.
const COMMON = { ru, en } as const;
const BILLING = { ru: ruBilling, en: enBilling } as const;

const TEXT = {
  ru: {
    headers: [
      "Адрес дома",
      "Месяц",
      "Квартира",
      "Услуга",
      "Количество",
      "Ед. изм.",
      "Цена за ед., ₽",
      "Сумма, ₽",
      "Тариф с",
      "Тариф",
      "Отметки",
      "Счётчики: показания и расход",
    ],
    scope: { house: "цена дома", workspace: "цена по фонду" },
    perService: (name: string) => `${name}, ₽`,
  },
  en: {
    headers: [
      "House",
      "Month",
      "Apartment",
      "Service",
      "Quantity",
      "Unit",
      "Price per unit, RUB",
      "Amount, RUB",
      "Price from",
      "Price",
      "Flags",
      "Meters: readings and consumption",
    ],
    scope: { house: "house price", workspace: "workspace price" },
    perService: (name: string) => `${name}, RUB`,
  },
};

/**
 * The month's invoices of a house as CSV for Excel: one row per invoice line, so each amount
 * stands next to what produced it (quantity, price, the meters' readings or how an estimate was
 * made); the amounts of an apartment's rows add up to its invoice total. After those columns,
 * one per service billed that month (in the invoices' order of lines), holding each row's
 * amount under its own service: a column's sum is the house's total for that service. UTF-8
 * with a BOM (Excel otherwise guesses a legacy code page), semicolon-separated and
 * CRLF-terminated; decimals are the stored strings, with a decimal comma in Russian. A month
 * without invoices gives the header row alone.
 */
export async function buildInvoicesCsv(db: DbOrTx, scope: Scope, options: InvoicesCsvOptions): Promise<string> {
  const found = await findHouse(db, scope, options.houseId);
  const { items } = await listHouseInvoices(db, scope, options.houseId, options.period);

  const lang = options.language;
  const text = TEXT[lang];
  const common = COMMON[lang];
  const explain = createTranslator({ locale: lang, messages: BILLING[lang], namespace: "explain" }) as unknown as ExplainTranslator;
  const decimal = (value: string) => (lang === "ru" ? value.replace(".", ",") : value);
  const flagName = (flag: string) => common.flags[flag as keyof typeof common.flags] ?? flag;
  const unitName = (unit: string) => common.units[unit as keyof typeof common.units] ?? unit;
  const format = { volume: decimal, normative: decimal, date: (d: string) => d };

  // The services of the month, each once, in the order the invoices list their lines.
  const services = new Map<number, InvoiceLine>();
  for (const invoice of items) for (const line of invoice.lines) if (!services.has(line.service_id)) services.set(line.service_id, line);
  const serviceColumns = [...services.values()];

  const rows: string[][] = [[...text.headers, ...serviceColumns.map((l) => textCell(text.perService(l.service_name[lang])))]];
  for (const invoice of items) {
    for (const line of invoice.lines) {
      const details = line.details;
      const meters = ("meters" in details ? details.meters : []).map((m) => {
        const reading = (r: { period: Month; value: string } | null) => (r ? `${r.period} ${decimal(r.value)}` : "—");
        const why = explainMeter(m, explain, format);
        const notes = why.length > 0 ? why : m.flag ? [flagName(m.flag)] : [];
        return `${m.serial_number}: ${reading(m.previous)} → ${reading(m.current)} = ${decimal(m.consumption)}${notes.length ? ` (${notes.join("; ")})` : ""}`;
      });
      const split = "meters" in details && details.true_up ? [explainSplit(details.true_up, explain, decimal)] : [];
      rows.push([
        textCell(found.address),
        invoice.period,
        textCell(invoice.apartment_number),
        textCell(line.service_name[lang]),
        decimal(line.quantity),
        unitName(line.unit),
        decimal(line.price),
        decimal(line.amount),
        details.tariff.valid_from,
        text.scope[details.tariff.scope],
        line.flags.map(flagName).join(", "),
        textCell([meters.join(", "), ...split].filter(Boolean).join("; ")),
        ...serviceColumns.map((s) => (s.service_id === line.service_id ? decimal(line.amount) : "")),
      ]);
    }
  }
  return `\uFEFF${rows.map((row) => row.map(csvField).join(";")).join("\r\n")}\r\n`;
}

/** Quoted when it holds a separator, a quote or a line break; quotes doubled (RFC 4180). */
function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A person's text (address, apartment number, serial, a service's name) that Excel would take
 * for a formula (=, +, -, @ first) gets a leading apostrophe: a cell must never run as a formula.
 */
function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
