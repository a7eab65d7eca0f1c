import { and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { MeterService } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { normative } from "../schema";

// Normatives: m³ of a metered service per registered person per month, for meters estimated by
// the normative (the billing rules in db/queries/billing.ts), in force like prices.

export type NormativeRow = {
  id: number;
  workspaceId: number;
  houseId: number | null;
  service: MeterService;
  /** m³ per person per month, 4 decimals */
  value: string;
  /** first day of the month */
  validFrom: string;
  createdAt: string;
};

const columns = {
  id: normative.id,
  workspaceId: normative.workspaceId,
  houseId: normative.houseId,
  service: normative.service,
  value: normative.value,
  validFrom: normative.validFrom,
  createdAt: sql<string>`${normative.createdAt}`,
};

export type NormativeHistoryOptions = { workspaceIds: number[] } | { workspaceId: number; houseId: number };

/** Every normative of the workspaces, or a house's own with its workspace's defaults; newest first within each service. */
export async function listNormatives(db: DbOrTx, options: NormativeHistoryOptions): Promise<NormativeRow[]> {
  const where =
    "houseId" in options
      ? and(eq(normative.workspaceId, options.workspaceId), or(eq(normative.houseId, options.houseId), isNull(normative.houseId)))
      : inArray(normative.workspaceId, options.workspaceIds);
  return db
    .select(columns)
    .from(normative)
    .where(where)
    .orderBy(asc(normative.service), sql`${normative.houseId} nulls first`, desc(normative.validFrom));
}

type NewNormative = { workspaceId: number; houseId: number | null; service: MeterService; value: string; validFrom: string };

export async function insertNormative(db: DbOrTx, values: NewNormative): Promise<NormativeRow> {
  const [row] = await db.insert(normative).values(values).returning(columns);
  return row;
}

export async function insertNormatives(db: DbOrTx, rows: NewNormative[]): Promise<void> {
  if (rows.length > 0) await db.insert(normative).values(rows);
}
