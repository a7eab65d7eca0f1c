import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { house, houseMonth } from "../schema";
import { monthFigures } from "./months";

// The month board's own figures of each house of a workspace (the rest is the check before
// billing's, db/queries/billing-check.ts): its invoices of the month and whether the month is
// closed. One statement for the workspace, however many houses it has.

export type BoardHouseRow = {
  house_id: number;
  address: string;
  apartments: number;
  /** invoices of the month, draft or posted */
  invoices: number;
  /** drafts with an out-of-date mark (not an archived apartment's: months.monthFigures) */
  out_of_date: number;
  /** apartments (not archived) without an invoice of the month */
  apartments_without_invoice: number;
  /** a house_month row for the month or a later one */
  closed: boolean;
  /** the month's own house_month row */
  posted_at: Date | string | null;
};

/** Every house of the workspace, oldest first, with its invoices of the month starting `period`. */
export async function boardHouses(db: DbOrTx, workspaceId: number, period: string): Promise<BoardHouseRow[]> {
  const { rows } = await db.execute<BoardHouseRow>(sql`
    select ${house.id} as house_id, ${house.address} as address, f.apartments, f.unbilled_apartments as apartments_without_invoice,
           f.invoices, f.out_of_date,
           exists (select 1 from ${houseMonth} where ${houseMonth.houseId} = ${house.id} and ${houseMonth.period} >= ${period}::date) as closed,
           (select ${houseMonth.postedAt} from ${houseMonth} where ${houseMonth.houseId} = ${house.id} and ${houseMonth.period} = ${period}::date)
             as posted_at
    from ${house}
    cross join lateral (${monthFigures(house.id, period)}) f
    where ${house.workspaceId} = ${workspaceId}
    order by ${house.id}`);
  return [...rows];
}
