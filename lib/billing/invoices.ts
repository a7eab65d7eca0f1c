import type { DbOrTx } from "../../db/client";
import * as invoices from "../../db/queries/invoices";
import type { Scope } from "../auth/scope";
import { dateToMonth, monthToDate, type Month } from "../months";
import { findApartment } from "../registry/apartments";
import { findHouse } from "../registry/houses";
import { toIso } from "../registry/serialize";
import type { ApartmentInvoices, HouseInvoiceSummaries, HouseInvoices, Invoice } from "../schemas/responses";

function serializeInvoice(row: invoices.InvoiceRow): Invoice {
  return { ...serializeAmounts(row), lines: row.lines };
}

function serializeAmounts(row: Omit<invoices.InvoiceRow, "lines">): Omit<Invoice, "lines"> {
  return {
    id: row.id,
    apartment_id: row.apartment_id,
    apartment_number: row.apartment_number,
    period: dateToMonth(row.period),
    // every invoice is written by a run; the column is nullable only so that deleting a run's row keeps its invoices
    run_id: row.run_id!,
    water: row.water,
    maintenance: row.maintenance,
    total: row.total,
    billed_at: toIso(row.created_at),
    status: row.posted_at === null ? "draft" : "posted",
    posted_at: row.posted_at === null ? null : toIso(row.posted_at),
    out_of_date: row.posted_at === null ? row.out_of_date : [],
  };
}

/** A house's invoices for a month, in apartment order, with the house totals. */
export async function listHouseInvoices(db: DbOrTx, scope: Scope, houseId: number, period: Month): Promise<HouseInvoices> {
  await findHouse(db, scope, houseId);
  const [items, totals] = await Promise.all([
    invoices.listHouseInvoices(db, houseId, monthToDate(period)),
    invoices.houseInvoiceTotals(db, houseId, monthToDate(period)),
  ]);
  return { house_id: houseId, period, items: items.map(serializeInvoice), totals };
}

/**
 * The same invoices without their lines, each with its lines' flags: what a list of a thousand
 * needs (a tenth of the bytes); a row's lines come from its apartment's invoices when opened.
 */
export async function listHouseInvoiceSummaries(db: DbOrTx, scope: Scope, houseId: number, period: Month): Promise<HouseInvoiceSummaries> {
  await findHouse(db, scope, houseId);
  const [items, totals] = await Promise.all([
    invoices.listHouseInvoiceSummaries(db, houseId, monthToDate(period)),
    invoices.houseInvoiceTotals(db, houseId, monthToDate(period)),
  ]);
  return {
    house_id: houseId,
    period,
    items: items.map(({ line_flags, ...row }) => ({ ...serializeAmounts(row), flags: [...new Set(line_flags.flat())] })),
    totals,
  };
}

/** An apartment's invoices, newest month first. */
export async function listApartmentInvoices(db: DbOrTx, scope: Scope, apartmentId: number): Promise<ApartmentInvoices> {
  await findApartment(db, scope, apartmentId);
  const items = await invoices.listApartmentInvoices(db, apartmentId);
  return { apartment_id: apartmentId, items: items.map(serializeInvoice) };
}
