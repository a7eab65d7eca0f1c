import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import type { TariffService } from "../schema";

export type TariffRow = {
  id: number;
  workspaceId: number;
  houseId: number | null;
  service: TariffService;
  /** roubles per unit, 4 decimals */
  price: string;
  /** first day of the month */
  validFrom: string;
  createdAt: string;
};

export interface TariffsInForceOptions {
  workspaceId: number;
  houseId: number;
  /** first day of the month */
  period: string;
}

/**
 * The price in force for each service of a house in a month: the house's own tariff with the
 * latest valid_from ≤ month, else the workspace's likewise. At most one row per service.
 */
export async function getTariffsInForce(db: DbOrTx, options: TariffsInForceOptions): Promise<TariffRow[]> {
  const rows = await db.execute<TariffRow>(sql`
    select distinct on (service)
      id, workspace_id as "workspaceId", house_id as "houseId", service, price,
      valid_from as "validFrom", created_at as "createdAt"
    from tariff
    where workspace_id = ${options.workspaceId}
      and (house_id = ${options.houseId} or house_id is null)
      and valid_from <= ${options.period}
    order by service, (house_id is null), valid_from desc`);
  return [...rows];
}
