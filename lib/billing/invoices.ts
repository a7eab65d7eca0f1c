import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import type { Scope } from "../auth/scope";
import { dateToMonth, monthToDate, type Month } from "../months";
import { findApartment } from "../registry/apartments";
import { findHouse } from "../registry/houses";
import { toIso } from "../registry/serialize";

type InvoiceRow = {
  id: number;
  apartment_id: number;
  apartment_number: string;
  period: string;
  run_id: number | null;
  water: string;
  maintenance: string;
  total: string;
  created_at: string;
  lines: {
    service: string;
    quantity: string;
    unit: string;
    tariff_id: number;
    price: string;
    amount: string;
    flags: string[];
    details: unknown;
  }[];
};

/** Invoices with their lines in one query; the filter decides which. */
async function selectInvoices(db: DbOrTx, where: ReturnType<typeof sql>, order: ReturnType<typeof sql>) {
  const rows = await db.execute<InvoiceRow>(sql`
    select i.id, i.apartment_id, a.number as apartment_number, i.period, i.run_id, i.water, i.maintenance, i.total, i.created_at,
           coalesce((
             select jsonb_agg(jsonb_build_object(
               'service', l.service,
               -- m² as the register keeps them (2 decimals), m³ as read (3)
               'quantity', case when l.unit = 'm2' then l.quantity::numeric(16,2)::text else l.quantity::text end, 'unit', l.unit, 'tariff_id', l.tariff_id,
               'price', l.price::text, 'amount', l.amount::text, 'flags', to_jsonb(l.flags), 'details', l.details
             ) order by case l.service when 'cold_water' then 1 when 'hot_water' then 2 else 3 end)
             from invoice_line l where l.invoice_id = i.id
           ), '[]'::jsonb) as lines
    from invoice i join apartment a on a.id = i.apartment_id
    where ${where}
    order by ${order}`);
  return rows.map((r) => ({
    id: r.id,
    apartment_id: r.apartment_id,
    apartment_number: r.apartment_number,
    period: dateToMonth(r.period),
    run_id: r.run_id,
    water: r.water,
    maintenance: r.maintenance,
    total: r.total,
    billed_at: toIso(r.created_at),
    lines: r.lines,
  }));
}

/** A house's invoices for a month, in apartment order, with the house totals. */
export async function listHouseInvoices(db: DbOrTx, scope: Scope, houseId: number, period: Month) {
  await findHouse(db, scope, houseId);
  const items = await selectInvoices(
    db,
    sql`i.house_id = ${houseId} and i.period = ${monthToDate(period)}::date`,
    sql`lpad(substring(a.number from '^[0-9]+'), 20, '0') nulls last, a.number, a.id`,
  );
  const [totals] = await db.execute<{ water: string; maintenance: string; total: string }>(sql`
    select coalesce(sum(water), 0)::numeric(16,2)::text as water, coalesce(sum(maintenance), 0)::numeric(16,2)::text as maintenance,
           coalesce(sum(total), 0)::numeric(16,2)::text as total
    from invoice where house_id = ${houseId} and period = ${monthToDate(period)}::date`);
  return { house_id: houseId, period, items, totals };
}

/** An apartment's invoices, newest month first. */
export async function listApartmentInvoices(db: DbOrTx, scope: Scope, apartmentId: number) {
  await findApartment(db, scope, apartmentId);
  const items = await selectInvoices(db, sql`i.apartment_id = ${apartmentId}`, sql`i.period desc`);
  return { apartment_id: apartmentId, items };
}
