import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { getHouseSummary, listHouseApartments, listHouses } from "../../db/queries/houses";
import { getTariffsInForce } from "../../db/queries/tariffs";
import { house } from "../../db/schema";
import { notFound } from "../api/errors";
import { pickWorkspace, type Scope } from "../auth/scope";
import { env } from "../env";
import { currentMonth, monthToDate } from "../months";
import type { CreateHouseBody, ListHousesQuery, UpdateHouseBody } from "../schemas/registry";
import { serializeApartmentWithMeters, serializeHouseSummary, serializeTariff } from "./serialize";

export async function listHousesPage(db: DbOrTx, scope: Scope, query: ListHousesQuery) {
  const { items, total } = await listHouses(db, { workspaceIds: scope.workspaceIds, ...query });
  return { items: items.map(serializeHouseSummary), total, limit: query.limit, offset: query.offset };
}

export async function createHouse(db: DbOrTx, scope: Scope, body: CreateHouseBody) {
  const workspaceId = pickWorkspace(scope, body.workspace_id);
  if (workspaceId === null) throw notFound("workspace", body.workspace_id);
  const [row] = await db.insert(house).values({ workspaceId, address: body.address }).returning({ id: house.id });
  return getHouseDetail(db, scope, row.id);
}

/** The house with its apartments, their meters and last readings, and this month's prices. */
export async function getHouseDetail(db: DbOrTx, scope: Scope, houseId: number) {
  const summary = await getHouseSummary(db, { workspaceIds: scope.workspaceIds, houseId });
  if (!summary) throw notFound("house", houseId);
  const month = currentMonth(env().APP_TIMEZONE);
  const [apartments, tariffs] = await Promise.all([
    listHouseApartments(db, houseId),
    getTariffsInForce(db, { workspaceId: summary.workspaceId, houseId, period: monthToDate(month) }),
  ]);
  return {
    ...serializeHouseSummary(summary),
    apartments: apartments.map(serializeApartmentWithMeters),
    tariffs_month: month,
    tariffs: tariffs.map(serializeTariff),
  };
}

export async function updateHouse(db: DbOrTx, scope: Scope, houseId: number, body: UpdateHouseBody) {
  const updated = await db
    .update(house)
    .set({ address: body.address })
    .where(and(eq(house.id, houseId), inArray(house.workspaceId, scope.workspaceIds)))
    .returning({ id: house.id });
  if (updated.length === 0) throw notFound("house", houseId);
  return getHouseDetail(db, scope, houseId);
}

/** Removes the house with its apartments, meters, readings and house tariffs; 409 once billed. */
export async function deleteHouse(db: DbOrTx, scope: Scope, houseId: number): Promise<void> {
  const deleted = await db
    .delete(house)
    .where(and(eq(house.id, houseId), inArray(house.workspaceId, scope.workspaceIds)))
    .returning({ id: house.id });
  if (deleted.length === 0) throw notFound("house", houseId);
}

/** The house, if the scope may see it (for operations on its children). */
export async function findHouse(db: DbOrTx, scope: Scope, houseId: number) {
  const [row] = await db
    .select({ id: house.id, workspaceId: house.workspaceId })
    .from(house)
    .where(and(eq(house.id, houseId), inArray(house.workspaceId, scope.workspaceIds)));
  if (!row) throw notFound("house", houseId);
  return row;
}
