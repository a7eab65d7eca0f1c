import { and, eq, sql, type SQL } from "drizzle-orm";
import type { BillingFlag, OutOfDateReason, ServiceBasis, Unit } from "../../lib/constants";
import type { InvoiceLineDetails } from "../../lib/schemas/stored";
import type { DbOrTx } from "../client";
import { apartment, invoice, invoiceLine, service } from "../schema";
import { apartmentOrder } from "./fragments";

export type InvoiceRow = {
  id: number;
  apartment_id: number;
  apartment_number: string;
  /** first day of the month */
  period: string;
  run_id: number | null;
  water: string;
  maintenance: string;
  total: string;
  created_at: string;
  posted_at: string | null;
  out_of_date: OutOfDateReason[];
  lines: {
    service: string;
    service_id: number;
    service_name: { ru: string; en: string };
    kind: ServiceBasis;
    quantity: string;
    unit: Unit;
    tariff_id: number;
    price: string;
    amount: string;
    flags: BillingFlag[];
    details: InvoiceLineDetails;
  }[];
};

/** Invoices with their lines in one query; `where` decides which, `order` their order. */
async function selectInvoices(db: DbOrTx, where: SQL, order: SQL): Promise<InvoiceRow[]> {
  const { rows } = await db.execute<InvoiceRow>(sql`
    select ${invoice.id} as id, ${invoice.apartmentId} as apartment_id, ${apartment.number} as apartment_number, ${invoice.period} as period,
           ${invoice.runId} as run_id, ${invoice.water} as water, ${invoice.maintenance} as maintenance, ${invoice.total} as total,
           ${invoice.createdAt} as created_at, ${invoice.postedAt} as posted_at, ${invoice.outOfDate} as out_of_date,
           coalesce((
             select jsonb_agg(jsonb_build_object(
               'service', ${invoiceLine.service}, 'service_id', ${invoiceLine.serviceId},
               'service_name', jsonb_build_object('ru', ${service.nameRu}, 'en', ${service.nameEn}), 'kind', ${invoiceLine.kind},
               -- m² as the register keeps them (2 decimals), persons and apartments whole, m³ as read (3)
               'quantity', case ${invoiceLine.unit} when 'm2' then ${invoiceLine.quantity}::numeric(16,2)::text
                                                   when 'm3' then ${invoiceLine.quantity}::text
                                                   else ${invoiceLine.quantity}::numeric(16,0)::text end,
               'unit', ${invoiceLine.unit}, 'tariff_id', ${invoiceLine.tariffId},
               'price', ${invoiceLine.price}::text, 'amount', ${invoiceLine.amount}::text, 'flags', to_jsonb(${invoiceLine.flags}),
               'details', ${invoiceLine.details}
             -- water first (cold, hot), then wastewater, then the others in the catalogue's order
             ) order by case ${invoiceLine.kind} when 'meter' then 1 when 'water_sum' then 2 else 3 end, ${invoiceLine.serviceId})
             from ${invoiceLine} join ${service} on ${service.id} = ${invoiceLine.serviceId}
             where ${invoiceLine.invoiceId} = ${invoice.id}
           ), '[]'::jsonb) as lines
    from ${invoice} join ${apartment} on ${apartment.id} = ${invoice.apartmentId}
    where ${where}
    order by ${order}`);
  return [...rows];
}

/** A house's invoices for a month, in apartment order. */
export function listHouseInvoices(db: DbOrTx, houseId: number, date: string): Promise<InvoiceRow[]> {
  return selectInvoices(db, and(eq(invoice.houseId, houseId), eq(invoice.period, date))!, apartmentOrder(apartment));
}

export type InvoiceSummaryRow = Omit<InvoiceRow, "lines"> & {
  /** each line's flags, lines in the invoice's order (only lines that have any) */
  line_flags: BillingFlag[][];
};

/**
 * A house's invoices for a month without their lines (a thousand invoices' lines are megabytes):
 * the amounts and, of the lines, only their flags, in the order selectInvoices gives the lines.
 */
export async function listHouseInvoiceSummaries(db: DbOrTx, houseId: number, date: string): Promise<InvoiceSummaryRow[]> {
  const { rows } = await db.execute<InvoiceSummaryRow>(sql`
    select ${invoice.id} as id, ${invoice.apartmentId} as apartment_id, ${apartment.number} as apartment_number, ${invoice.period} as period,
           ${invoice.runId} as run_id, ${invoice.water} as water, ${invoice.maintenance} as maintenance, ${invoice.total} as total,
           ${invoice.createdAt} as created_at, ${invoice.postedAt} as posted_at, ${invoice.outOfDate} as out_of_date,
           coalesce((
             select jsonb_agg(to_jsonb(${invoiceLine.flags})
               order by case ${invoiceLine.kind} when 'meter' then 1 when 'water_sum' then 2 else 3 end, ${invoiceLine.serviceId})
             from ${invoiceLine}
             where ${invoiceLine.invoiceId} = ${invoice.id} and cardinality(${invoiceLine.flags}) > 0
           ), '[]'::jsonb) as line_flags
    from ${invoice} join ${apartment} on ${apartment.id} = ${invoice.apartmentId}
    where ${invoice.houseId} = ${houseId} and ${invoice.period} = ${date}::date
    order by ${apartmentOrder(apartment)}`);
  return [...rows];
}

/** An apartment's invoice for a month, with its lines. */
export async function findApartmentInvoice(db: DbOrTx, apartmentId: number, date: string): Promise<InvoiceRow | undefined> {
  const [row] = await selectInvoices(db, and(eq(invoice.apartmentId, apartmentId), eq(invoice.period, date))!, sql`${invoice.id}`);
  return row;
}

/** An apartment's invoices, newest month first. */
export function listApartmentInvoices(db: DbOrTx, apartmentId: number): Promise<InvoiceRow[]> {
  return selectInvoices(db, eq(invoice.apartmentId, apartmentId), sql`${invoice.period} desc`);
}

/** The month's sums over a house. */
export async function houseInvoiceTotals(
  db: DbOrTx,
  houseId: number,
  date: string,
): Promise<{ water: string; maintenance: string; total: string }> {
  const {
    rows: [totals],
  } = await db.execute<{ water: string; maintenance: string; total: string }>(sql`
    select coalesce(sum(${invoice.water}), 0)::numeric(16,2)::text as water,
           coalesce(sum(${invoice.maintenance}), 0)::numeric(16,2)::text as maintenance,
           coalesce(sum(${invoice.total}), 0)::numeric(16,2)::text as total
    from ${invoice} where ${invoice.houseId} = ${houseId} and ${invoice.period} = ${date}::date`);
  return totals;
}
