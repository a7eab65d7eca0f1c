import { sql, type SQL } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import { apartment, house, tariff } from "../schema";

// Pieces of SQL that more than one query needs, each written once. Inside `sql` templates
// tables and columns are the schema's objects: `${apartment}` renders "apartment", an alias
// object's column `${a.houseId}` renders "a"."house_id", so a rename is a type error here.

/** The usual aliases of the statements below. */
export const a = alias(apartment, "a");
const t = alias(tariff, "t");

/**
 * Apartments in the order people number them: "2" before "10", "10а" after "10", numbers before
 * names, then by id. Every list of a house's apartments uses it.
 */
export const apartmentOrder = (apt: { number: AnyPgColumn; id: AnyPgColumn } = a): SQL =>
  sql`lpad(substring(${apt.number} from '^[0-9]+'), 20, '0') nulls last, ${apt.number}, ${apt.id}`;

/**
 * The price in force for each service of each house in the month starting `period`: the house's
 * own tariff with the latest valid_from ≤ the month, else its workspace's likewise. `houses` is a
 * statement giving (house_id, workspace_id) pairs. One row per house and service.
 */
export const tariffsInForce = (houses: SQL, period: string): SQL => sql`
  select distinct on (hw.house_id, ${t.service})
    hw.house_id, ${t.id} as id, ${t.workspaceId} as workspace_id, ${t.houseId} as tariff_house_id, ${t.service} as service,
    ${t.price} as price, ${t.validFrom} as valid_from, ${t.createdAt} as created_at
  from (${houses}) hw(house_id, workspace_id)
  join ${tariff} ${t} on ${t.workspaceId} = hw.workspace_id and (${t.houseId} = hw.house_id or ${t.houseId} is null)
    and ${t.validFrom} <= ${period}::date
  order by hw.house_id, ${t.service}, (${t.houseId} is null), ${t.validFrom} desc`;

export interface RunScope {
  houseId: number | null;
  workspaceId: number;
  /** the highest apartment id when the run was requested: none added later is billed */
  apartmentIdBound: number;
}

/**
 * A run's apartments (id, house_id, area): its house's, or every house's of its workspace; not
 * the archived ones (their invoices stay as they are).
 */
export const runApartments = (run: RunScope): SQL => sql`
  select ${a.id} as id, ${a.houseId} as house_id, ${a.area} as area from ${apartment} ${a}
  where ${a.id} <= ${run.apartmentIdBound} and ${a.archivedAt} is null
    and ${
      run.houseId === null
        ? sql`${a.houseId} in (select ${house.id} from ${house} where ${house.workspaceId} = ${run.workspaceId})`
        : sql`${a.houseId} = ${run.houseId}`
    }`;

/** `%`, `_` and `\` in a person's search text match themselves in LIKE. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
