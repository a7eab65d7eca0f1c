import type { DbOrTx } from "../../db/client";
import * as check from "../../db/queries/billing-check";
import type { BareApartmentRow, CheckMeterRow, HouseSet, UnpricedServiceRow } from "../../db/queries/billing-check";
import type { CheckProblem } from "../constants";
import { addMonths, monthToDate, type Month } from "../months";
import { assertNotFuture } from "../periods";
import { AVERAGE_MONTHS, meterHistory, suspiciousReading } from "../readings/suspicious";
import { listWorkspaceHouses } from "../../db/queries/houses";
import { findHouse } from "../registry/houses";
import { requireWorkspace, type Scope } from "../auth/scope";
import type { BillingCheck, PortfolioBillingCheck } from "../schemas/responses";

/** The last day of a month, "YYYY-MM-DD". */
const lastDay = (month: Month) => {
  const next = new Date(`${monthToDate(addMonths(month, 1))}T00:00:00Z`);
  next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
};

/** What the check finds in one house. */
interface HouseCheck {
  counts: BillingCheck["counts"];
  blocking: BillingCheck["blocking"];
  items: BillingCheck["items"];
}

export const emptyCounts = (): BillingCheck["counts"] => ({
  apartments: 0,
  meters: 0,
  readings: 0,
  no_reading: 0,
  estimated_average: 0,
  estimated_normative: 0,
  true_up: 0,
  verification_expired: 0,
  verification_expiring: 0,
  suspicious: 0,
  apartments_without_meters: 0,
});

/** Groups rows by their house, keeping their order. */
function byHouse<T extends { house_id: number }>(rows: T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const list = groups.get(row.house_id);
    if (list) list.push(row);
    else groups.set(row.house_id, [row]);
  }
  return groups;
}

export interface CheckHousesOptions {
  /**
   * Look for suspicious readings (each read meter's last months are fetched for it). The month
   * board does not: it shows no suspicions, and the history is most of the check's reading.
   */
  suspicion: boolean;
}

/**
 * The check before billing a month of a set of houses (one house, or every house of a
 * workspace): what a run would do with each meter, and which meters and apartments need a look
 * first. One statement of each kind for the whole set. The volumes come from the run's own
 * rules (fragments.meterStates), so the check says what the run will bill:
 * - no_reading: no reading this month; the run estimates it (by the average or the normative);
 * - verification_expired: the verification ends before the month's last day, so a reading is
 *   not usable (Правила № 354, п. 81(12)) and the month is estimated;
 * - verification_expiring: valid through this month but not through the two after it — the
 *   resident should have the meter verified before its readings stop counting;
 * - suspicious: the month's reading by the one rule of lib/readings/suspicious.ts;
 * - no_normative: an estimate by the normative for people registered, with no normative in
 *   force (this also blocks the run, in `blocking`);
 * - no_meters: an apartment with no meter (billed for its area and people only).
 * `blocking` lists what fails a run before any invoice (a billed service without a price, a
 * missing normative), as the run itself would refuse. Houses without apartments have no entry.
 */
export async function checkHouses(db: DbOrTx, set: HouseSet, month: Month, options: CheckHousesOptions): Promise<Map<number, HouseCheck>> {
  const period = monthToDate(month);
  const [meters, bare, unpriced, history] = await Promise.all([
    check.checkMeters(db, set, period),
    check.apartmentsWithoutMeters(db, set),
    check.unpricedServices(db, set, period),
    options.suspicion ? check.readingsBefore(db, set, monthToDate(addMonths(month, -(AVERAGE_MONTHS + 1))), period) : [],
  ]);
  const readingsOf = new Map<number, { period: Month; value: string }[]>();
  for (const r of history) {
    const list = readingsOf.get(r.meter_id);
    if (list) list.push(r);
    else readingsOf.set(r.meter_id, [r]);
  }
  const [metersOf, bareOf, unpricedOf] = [byHouse(meters), byHouse(bare), byHouse(unpriced)];
  const result = new Map<number, HouseCheck>();
  for (const houseId of new Set([...metersOf.keys(), ...bareOf.keys(), ...unpricedOf.keys()]))
    result.set(
      houseId,
      checkHouse(month, metersOf.get(houseId) ?? [], bareOf.get(houseId) ?? [], unpricedOf.get(houseId) ?? [], readingsOf),
    );
  return result;
}

/** One house's part of checkHouses. */
function checkHouse(
  month: Month,
  meters: CheckMeterRow[],
  bare: BareApartmentRow[],
  unpriced: UnpricedServiceRow[],
  readingsOf: Map<number, { period: Month; value: string }[]>,
): HouseCheck {
  const [endOfMonth, endOfWindow] = [lastDay(month), lastDay(addMonths(month, 2))];
  const counts = {
    ...emptyCounts(),
    apartments: new Set(meters.map((m) => m.apartment_id)).size + bare.length,
    meters: meters.length,
    apartments_without_meters: bare.length,
  };
  const missingNormatives = new Set<string>();
  const items: (BillingCheck["items"][number] & { position: number })[] = [];
  for (const m of meters) {
    const problems: CheckProblem[] = [];
    if (m.cur_usable) counts.readings++;
    if (m.cur_value === null) problems.push("no_reading");
    if (m.verified_until !== null && m.verified_until < endOfMonth) problems.push("verification_expired");
    else if (m.verified_until !== null && m.verified_until < endOfWindow) problems.push("verification_expiring");
    const suspicion =
      m.cur_usable && m.cur_value !== null
        ? suspiciousReading(meterHistory(readingsOf.get(m.meter_id) ?? [], month), month, m.cur_value)
        : null;
    if (suspicion) problems.push("suspicious");
    if (m.kind === "normative" && m.volume === null && m.volume_billed) {
      problems.push("no_normative");
      missingNormatives.add(m.service);
    }
    if (m.kind === "average") counts.estimated_average++;
    if (m.kind === "normative") counts.estimated_normative++;
    if (m.kind === "true_up") counts.true_up++;
    for (const p of problems)
      if (p === "no_reading" || p === "verification_expired" || p === "verification_expiring" || p === "suspicious") counts[p]++;
    if (problems.length === 0) continue;
    items.push({
      position: m.position,
      apartment_id: m.apartment_id,
      apartment_number: m.apartment_number,
      meter_id: m.meter_id,
      serial_number: m.serial_number,
      service: m.service,
      problems,
      kind: m.kind,
      volume: m.volume,
      current: m.cur_value,
      basis: m.l_period !== null && m.l_value !== null ? { period: m.l_period, value: m.l_value } : null,
      months_since_basis: m.k,
      average_months: m.kind === "average" ? m.n : null,
      residents: m.residents,
      normative: m.normative,
      verified_until: m.verified_until,
      suspicion,
    });
  }
  for (const apt of bare) {
    items.push({
      position: apt.position,
      apartment_id: apt.id,
      apartment_number: apt.number,
      meter_id: null,
      serial_number: null,
      service: null,
      problems: ["no_meters"],
      kind: null,
      volume: null,
      current: null,
      basis: null,
      months_since_basis: null,
      average_months: null,
      residents: apt.residents,
      normative: null,
      verified_until: null,
      suspicion: null,
    });
  }
  const blocking: BillingCheck["blocking"] = [
    ...unpriced.map((s) => ({ problem: "missing_price" as const, service: s.code, name_ru: s.name_ru, name_en: s.name_en })),
    ...[...missingNormatives].sort().map((service) => ({ problem: "missing_normative" as const, service, name_ru: null, name_en: null })),
  ];
  // in apartment order; an apartment's meters as the query gave them (by service), the meterless ones have one row
  items.sort((x, y) => x.position - y.position);
  return { counts, blocking, items: items.map(({ position: _, ...item }) => item) };
}

/** The check before billing one house's month (checkHouses). */
export async function getBillingCheck(db: DbOrTx, scope: Scope, houseId: number, month: Month): Promise<BillingCheck> {
  const house = await findHouse(db, scope, houseId);
  assertNotFuture(month, "a month can be checked");
  const found = (await checkHouses(db, { houseId: house.id }, month, { suspicion: true })).get(house.id);
  const { counts, blocking, items } = found ?? { counts: emptyCounts(), blocking: [], items: [] };
  return { house_id: house.id, address: house.address, period: month, ready: blocking.length === 0, counts, blocking, items };
}

export interface PortfolioCheckOptions {
  period: Month;
  /** one of the caller's workspaces; default: their own */
  workspaceId?: number;
}

/** The check before billing a month of every house of a workspace (checkHouses), by house and added up. */
export async function getPortfolioBillingCheck(db: DbOrTx, scope: Scope, options: PortfolioCheckOptions): Promise<PortfolioBillingCheck> {
  const workspaceId = requireWorkspace(scope, options.workspaceId);
  assertNotFuture(options.period, "a month can be checked");
  const [houses, checks] = await Promise.all([
    listWorkspaceHouses(db, workspaceId),
    checkHouses(db, { workspaceId }, options.period, { suspicion: true }),
  ]);
  const counts = { ...emptyCounts(), houses: houses.length, houses_blocked: 0 };
  const result: PortfolioBillingCheck = {
    workspace_id: workspaceId,
    period: options.period,
    ready: true,
    counts,
    houses: [],
    blocking: [],
    items: [],
  };
  for (const house of houses) {
    const found = checks.get(house.id) ?? { counts: emptyCounts(), blocking: [], items: [] };
    const ref = { house_id: house.id, address: house.address };
    result.houses.push({ ...ref, ready: found.blocking.length === 0, counts: found.counts, blocking: found.blocking });
    for (const key of Object.keys(found.counts) as (keyof BillingCheck["counts"])[]) counts[key] += found.counts[key];
    if (found.blocking.length > 0) counts.houses_blocked++;
    result.blocking.push(...found.blocking.map((b) => ({ ...b, ...ref })));
    result.items.push(...found.items.map((i) => ({ ...i, ...ref })));
  }
  result.ready = counts.houses_blocked === 0;
  return result;
}
