import type { DbOrTx } from "../../db/client";
import en from "../../messages/en/common.json";
import ru from "../../messages/ru/common.json";
import type { Scope } from "../auth/scope";
import type { Month } from "../months";
import { findHouse } from "../registry/houses";
import type { CsvLanguage } from "../schemas/billing";
import { listHouseInvoices } from "./invoices";

export interface InvoicesCsvOptions {
  houseId: number;
  period: Month;
  /** headers, service and flag names; "ru" also writes decimal commas (Russian Excel) */
  language: CsvLanguage;
}

// Service and flag names are the UI's own (messages/<lang>/common.json), so the file reads
// the same as the page.
const COMMON = { ru, en } as const;

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
    units: { m3: "м³", m2: "м²" } as Record<string, string>,
    scope: { house: "цена дома", workspace: "цена по фонду" },
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
    units: { m3: "m³", m2: "m²" } as Record<string, string>,
    scope: { house: "house price", workspace: "workspace price" },
  },
};

/**
 * The month's invoices of a house as CSV for Excel: one row per invoice line, so each amount
 * stands next to what produced it (quantity, price, the meters' readings); the amounts of an
 * apartment's rows add up to its invoice total. UTF-8 with a BOM (Excel otherwise guesses a
 * legacy code page), semicolon-separated and CRLF-terminated; decimals are the stored strings,
 * with a decimal comma in Russian. A month without invoices gives the header row alone.
 */
export async function buildInvoicesCsv(db: DbOrTx, scope: Scope, options: InvoicesCsvOptions): Promise<string> {
  const found = await findHouse(db, scope, options.houseId);
  const { items } = await listHouseInvoices(db, scope, options.houseId, options.period);

  const text = TEXT[options.language];
  const common = COMMON[options.language];
  const decimal = (value: string) => (options.language === "ru" ? value.replace(".", ",") : value);
  const serviceName = (service: string) => common.services[service as keyof typeof common.services] ?? service;
  const flagName = (flag: string) => common.flags[flag as keyof typeof common.flags] ?? flag;

  const rows: string[][] = [text.headers];
  for (const invoice of items) {
    for (const line of invoice.lines) {
      const details = line.details;
      const meters = ("meters" in details ? details.meters : []).map((m) => {
        const reading = (r: { period: Month; value: string } | null) => (r ? `${r.period} ${decimal(r.value)}` : "—");
        return `${m.serial_number}: ${reading(m.previous)} → ${reading(m.current)} = ${decimal(m.consumption)}${m.flag ? ` (${flagName(m.flag)})` : ""}`;
      });
      rows.push([
        textCell(found.address),
        invoice.period,
        textCell(invoice.apartment_number),
        serviceName(line.service),
        decimal(line.quantity),
        text.units[line.unit] ?? line.unit,
        decimal(line.price),
        decimal(line.amount),
        details.tariff.valid_from,
        text.scope[details.tariff.scope],
        line.flags.map(flagName).join(", "),
        textCell(meters.join(", ")),
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
 * A person's text (address, apartment number, serial) that Excel would take for a formula
 * (=, +, -, @ first) gets a leading apostrophe: a cell must never run as a formula.
 */
function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
