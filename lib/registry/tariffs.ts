import { and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { tariff } from "../../db/schema";
import { notFound } from "../api/errors";
import { pickWorkspace, type Scope } from "../auth/scope";
import { monthToDate } from "../months";
import type { CreateTariffBody } from "../schemas/registry";
import { findHouse } from "./houses";
import { serializeTariff } from "./serialize";

const columns = {
  id: tariff.id,
  workspaceId: tariff.workspaceId,
  houseId: tariff.houseId,
  service: tariff.service,
  price: tariff.price,
  validFrom: tariff.validFrom,
  createdAt: sql<string>`${tariff.createdAt}`,
};

/**
 * Price history. With a house: that house's own prices and the workspace defaults that apply
 * to it; without: every price of the caller's workspaces. Newest first within each service.
 */
export async function listTariffs(db: DbOrTx, scope: Scope, options: { houseId?: number }) {
  let where;
  if (options.houseId !== undefined) {
    const owner = await findHouse(db, scope, options.houseId);
    where = and(eq(tariff.workspaceId, owner.workspaceId), or(eq(tariff.houseId, owner.id), isNull(tariff.houseId)));
  } else {
    where = inArray(tariff.workspaceId, scope.workspaceIds);
  }
  const rows = await db
    .select(columns)
    .from(tariff)
    .where(where)
    .orderBy(asc(tariff.service), sql`${tariff.houseId} nulls first`, desc(tariff.validFrom));
  return { items: rows.map(serializeTariff) };
}

/** A new price from a month on. Existing prices are never edited: a change is a new row. */
export async function createTariff(db: DbOrTx, scope: Scope, body: CreateTariffBody) {
  const houseId = body.house_id ?? null;
  const workspaceId = houseId === null ? pickWorkspace(scope, body.workspace_id) : (await findHouse(db, scope, houseId)).workspaceId;
  if (workspaceId === null) throw notFound("workspace", body.workspace_id);
  const [row] = await db
    .insert(tariff)
    .values({ workspaceId, houseId, service: body.service, price: body.price, validFrom: monthToDate(body.valid_from) })
    .returning(columns);
  return serializeTariff(row);
}
