import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { SEEDED_SERVICES, type ServiceBasis } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { house, service, serviceHouseOff, tariff, type Service } from "../schema";
import { hasLines } from "./fragments";

// The services catalogue of a workspace: what its houses are billed for, with the houses each
// service is switched off for.

export type ServiceRow = Omit<Service, "createdAt"> & {
  createdAt: string;
  /** the houses this service is not billed for */
  offHouseIds: number[];
  /** a billed invoice has a line of it: it can be renamed, not deleted or re-based */
  billed: boolean;
};

/**
 * The services `where` picks, each with its switched-off houses and whether it is billed. Raw
 * SQL: a one-table select of Drizzle's query builder leaves columns unqualified, and the
 * subqueries' own columns would then shadow the service's.
 */
async function selectServices(db: DbOrTx, where: SQL, options: { lock?: boolean } = {}): Promise<ServiceRow[]> {
  const seeded = SEEDED_SERVICES.map((s) => s.code);
  const { rows } = await db.execute<ServiceRow>(sql`
    select ${service.id} as id, ${service.workspaceId} as "workspaceId", ${service.code} as code, ${service.nameRu} as "nameRu",
           ${service.nameEn} as "nameEn", ${service.basis} as basis, ${service.active} as active, ${service.createdAt} as "createdAt",
           coalesce((select array_agg(${serviceHouseOff.houseId} order by ${serviceHouseOff.houseId}) from ${serviceHouseOff}
                     where ${serviceHouseOff.serviceId} = ${service.id}), '{}') as "offHouseIds",
           ${hasLines(service.id)} as billed
    from ${service}
    where ${where}
    -- the catalogue's order: the seeded ones first (one array parameter: Drizzle would spread a JS array)
    order by ${service.workspaceId}, array_position(${`{${seeded.join(",")}}`}::text[], ${service.code}::text) nulls last, ${service.id}
    ${options.lock ? sql`for update` : sql``}`);
  return [...rows];
}

/** The seeded services of a new workspace (lib/constants.ts SEEDED_SERVICES), all active. */
export async function insertSeededServices(db: DbOrTx, workspaceId: number): Promise<void> {
  await db.insert(service).values(SEEDED_SERVICES.map((s) => ({ workspaceId, ...s, active: true })));
}

/** The services of the workspaces, in the catalogue's order: the seeded ones first, then by creation. */
export async function listServices(db: DbOrTx, workspaceIds: number[]): Promise<ServiceRow[]> {
  return selectServices(db, inArray(service.workspaceId, workspaceIds));
}

/** The service, if it is in one of the workspaces; with `lock`, its row stays locked until the transaction ends. */
export async function findService(
  db: DbOrTx,
  ref: { workspaceIds: number[]; serviceId: number },
  options: { lock?: boolean } = {},
): Promise<ServiceRow | undefined> {
  const [row] = await selectServices(db, and(eq(service.id, ref.serviceId), inArray(service.workspaceId, ref.workspaceIds))!, options);
  return row;
}

/** The workspace's service with this code. */
export async function findServiceByCode(db: DbOrTx, workspaceId: number, code: string): Promise<Service | undefined> {
  const [row] = await db
    .select()
    .from(service)
    .where(and(eq(service.workspaceId, workspaceId), eq(service.code, code)));
  return row;
}

export type NewService = { workspaceId: number; code: string; nameRu: string; nameEn: string; basis: ServiceBasis; active: boolean };

export async function insertService(db: DbOrTx, values: NewService): Promise<number> {
  const [row] = await db.insert(service).values(values).returning({ id: service.id });
  return row.id;
}

export async function updateService(
  db: DbOrTx,
  serviceId: number,
  values: { nameRu?: string; nameEn?: string; basis?: ServiceBasis; active?: boolean },
): Promise<void> {
  if (Object.values(values).every((v) => v === undefined)) return;
  await db.update(service).set(values).where(eq(service.id, serviceId));
}

/**
 * Replaces the houses the service is switched off for (houses of its workspace only), touching
 * only the houses that change: each is one entry of the history, and one house's drafts to mark.
 */
export async function setServiceOffHouses(db: DbOrTx, serviceId: number, houseIds: number[]): Promise<void> {
  const ids = `{${houseIds.join(",")}}`;
  await db.execute(sql`
    delete from ${serviceHouseOff}
    where ${serviceHouseOff.serviceId} = ${serviceId} and not (${serviceHouseOff.houseId} = any(${ids}::int[]))`);
  if (houseIds.length === 0) return;
  await db.execute(sql`
    insert into ${serviceHouseOff} (service_id, house_id)
    select ${serviceId}, ${house.id} from ${house}
    where ${house.id} = any(${ids}::int[])
      and ${house.workspaceId} = (select ${service.workspaceId} from ${service} where ${service.id} = ${serviceId})
    on conflict do nothing`);
}

/** Of these house ids, those that are not houses of the workspace. */
export async function foreignHouseIds(db: DbOrTx, workspaceId: number, houseIds: number[]): Promise<number[]> {
  if (houseIds.length === 0) return [];
  const rows = await db
    .select({ id: house.id })
    .from(house)
    .where(and(inArray(house.id, houseIds), eq(house.workspaceId, workspaceId)));
  const own = new Set(rows.map((r) => r.id));
  return houseIds.filter((id) => !own.has(id));
}

/** Deletes the service with its prices and house switches; a billed one is refused by a trigger (drizzle/0019_billing-writes.sql). */
export async function deleteService(db: DbOrTx, serviceId: number): Promise<void> {
  await db.delete(service).where(eq(service.id, serviceId));
}

/**
 * A service with no price yet becomes active with its first one: a new service is inactive
 * until the manager gives it a price. A service switched off after it had prices stays off.
 */
export async function activateIfUnpriced(db: DbOrTx, serviceId: number): Promise<void> {
  await db.execute(sql`
    update ${service} set active = true
    where ${service.id} = ${serviceId} and not ${service.active}
      and not exists (select 1 from ${tariff} where ${tariff.serviceId} = ${serviceId})`);
}
