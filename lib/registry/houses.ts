import type { DbOrTx } from "../../db/client";
import * as houses from "../../db/queries/houses";
import { getTariffsInForce } from "../../db/queries/tariffs";
import { notFound } from "../api/errors";
import { pickWorkspace, type Scope } from "../auth/scope";
import { env } from "../env";
import { currentMonth, monthToDate } from "../months";
import type { CreateHouseBody, ListHousesQuery, UpdateHouseBody } from "../schemas/registry";
import type { HouseDetail, HousePage, HouseSummary } from "../schemas/responses";
import { serializeApartmentWithMeters, serializeHouseSummary, serializeTariff, toIso } from "./serialize";

export async function listHousesPage(db: DbOrTx, scope: Scope, query: ListHousesQuery): Promise<HousePage> {
  const { items, total } = await houses.listHouses(db, { workspaceIds: scope.workspaceIds, ...query });
  return { items: items.map(serializeHouseSummary), total, limit: query.limit, offset: query.offset };
}

export async function createHouse(db: DbOrTx, scope: Scope, body: CreateHouseBody): Promise<HouseDetail> {
  const workspaceId = pickWorkspace(scope, body.workspace_id);
  if (workspaceId === null) throw notFound("workspace", body.workspace_id);
  const id = await houses.insertHouse(db, { workspaceId, address: body.address });
  return getHouseDetail(db, scope, id);
}

/** The house as the list shows it, without its apartments. */
export async function getHouseSummary(db: DbOrTx, scope: Scope, houseId: number): Promise<HouseSummary> {
  const summary = await houses.getHouseSummary(db, { workspaceIds: scope.workspaceIds, houseId });
  if (!summary) throw notFound("house", houseId);
  return serializeHouseSummary(summary);
}

/** The house with its apartments, their meters and last readings, and this month's prices. */
export async function getHouseDetail(db: DbOrTx, scope: Scope, houseId: number): Promise<HouseDetail> {
  const summary = await houses.getHouseSummary(db, { workspaceIds: scope.workspaceIds, houseId });
  if (!summary) throw notFound("house", houseId);
  const month = currentMonth(env().APP_TIMEZONE);
  const [apartments, archived, tariffs] = await Promise.all([
    houses.listHouseApartments(db, houseId),
    houses.listArchivedApartments(db, houseId),
    getTariffsInForce(db, { workspaceId: summary.workspaceId, houseId, period: monthToDate(month) }),
  ]);
  return {
    ...serializeHouseSummary(summary),
    apartments: apartments.map(serializeApartmentWithMeters),
    archived_apartments: archived.map((r) => ({
      id: r.id,
      number: r.number,
      account_number: r.accountNumber,
      archived_at: toIso(r.archivedAt),
    })),
    tariffs_month: month,
    tariffs: tariffs.map(serializeTariff),
  };
}

export async function updateHouse(db: DbOrTx, scope: Scope, houseId: number, body: UpdateHouseBody): Promise<HouseDetail> {
  const updated = await houses.updateHouse(db, { workspaceIds: scope.workspaceIds, houseId }, { address: body.address });
  if (!updated) throw notFound("house", houseId);
  return getHouseDetail(db, scope, houseId);
}

/** Removes the house with its apartments, meters, readings and house tariffs; 409 once billed. */
export async function deleteHouse(db: DbOrTx, scope: Scope, houseId: number): Promise<void> {
  const deleted = await houses.deleteHouse(db, { workspaceIds: scope.workspaceIds, houseId });
  if (!deleted) throw notFound("house", houseId);
}

/** The house, if the scope may see it (for operations on its children). */
export async function findHouse(db: DbOrTx, scope: Scope, houseId: number) {
  const row = await houses.findHouse(db, { workspaceIds: scope.workspaceIds, houseId });
  if (!row) throw notFound("house", houseId);
  return row;
}
