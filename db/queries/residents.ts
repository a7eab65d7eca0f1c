import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { ResidentKind } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { apartment, apartmentResident, house, person, workspace } from "../schema";

// The residents of apartments (issue 18): a manager's list of phones per apartment, and what a
// signed-in person reaches as a resident — the apartments whose resident phone is their phone.

const residentColumns = {
  id: apartmentResident.id,
  apartmentId: apartmentResident.apartmentId,
  phone: apartmentResident.phone,
  kind: apartmentResident.kind,
  name: apartmentResident.name,
  createdAt: apartmentResident.createdAt,
};

export type ResidentRow = {
  id: number;
  apartmentId: number;
  phone: string;
  kind: ResidentKind;
  name: string;
  createdAt: Date;
};

export async function listApartmentResidents(db: DbOrTx, apartmentId: number): Promise<ResidentRow[]> {
  const rows = await db
    .select(residentColumns)
    .from(apartmentResident)
    .where(eq(apartmentResident.apartmentId, apartmentId))
    .orderBy(asc(apartmentResident.kind), asc(apartmentResident.id));
  return rows as ResidentRow[];
}

/** The new resident, or undefined when the apartment already has this phone. */
export async function insertResident(
  db: DbOrTx,
  row: { apartmentId: number; workspaceId: number; phone: string; kind: ResidentKind; name: string },
): Promise<ResidentRow | undefined> {
  const [created] = await db.insert(apartmentResident).values(row).onConflictDoNothing().returning(residentColumns);
  return created as ResidentRow | undefined;
}

export async function updateResident(
  db: DbOrTx,
  ref: { apartmentId: number; residentId: number },
  changes: { kind?: ResidentKind; name?: string },
): Promise<ResidentRow | undefined> {
  const [row] = await db
    .update(apartmentResident)
    .set(changes)
    .where(and(eq(apartmentResident.id, ref.residentId), eq(apartmentResident.apartmentId, ref.apartmentId)))
    .returning(residentColumns);
  return row as ResidentRow | undefined;
}

export async function deleteResident(db: DbOrTx, ref: { apartmentId: number; residentId: number }): Promise<boolean> {
  const rows = await db
    .delete(apartmentResident)
    .where(and(eq(apartmentResident.id, ref.residentId), eq(apartmentResident.apartmentId, ref.apartmentId)))
    .returning({ id: apartmentResident.id });
  return rows.length > 0;
}

/** What a resident's list shows of each of their apartments. */
export interface ResidentApartmentRow {
  apartmentId: number;
  number: string;
  accountNumber: string;
  address: string;
  houseId: number;
  workspaceId: number;
  workspaceName: string;
  kind: ResidentKind;
  windowFrom: number;
  windowTo: number;
}

/**
 * The apartments the person is a resident of (their phone is on the apartment), in every
 * workspace; with `apartmentId`, that one only. Archived apartments are left out.
 */
export async function residentApartments(db: DbOrTx, personId: number, apartmentId?: number): Promise<ResidentApartmentRow[]> {
  const rows = await db
    .select({
      apartmentId: apartment.id,
      number: apartment.number,
      accountNumber: apartment.accountNumber,
      address: house.address,
      houseId: house.id,
      workspaceId: house.workspaceId,
      workspaceName: workspace.name,
      // an owner's and a tenant's entry for one phone on one apartment cannot both exist (unique)
      kind: apartmentResident.kind,
      windowFrom: workspace.readingWindowFrom,
      windowTo: workspace.readingWindowTo,
    })
    .from(apartmentResident)
    .innerJoin(person, eq(person.phone, apartmentResident.phone))
    .innerJoin(apartment, eq(apartment.id, apartmentResident.apartmentId))
    .innerJoin(house, eq(house.id, apartment.houseId))
    .innerJoin(workspace, eq(workspace.id, house.workspaceId))
    .where(
      and(
        eq(person.id, personId),
        sql`${apartment.archivedAt} is null`,
        apartmentId === undefined ? undefined : eq(apartment.id, apartmentId),
      ),
    )
    .orderBy(asc(workspace.name), asc(house.address), asc(apartment.number));
  return rows as ResidentApartmentRow[];
}

/**
 * Whether the person is a resident of any apartment (the header's link to /my), and whether the
 * workspaces they are a member of hold no house (then /my is their home page).
 */
export async function residentState(db: DbOrTx, personId: number, workspaceIds: number[]): Promise<{ resident: boolean; houses: boolean }> {
  const { rows } = await db.execute<{ resident: boolean; houses: boolean }>(sql`
    select exists (
      select 1 from ${apartmentResident} r join ${person} p on p.phone = r.phone
      join ${apartment} a on a.id = r.apartment_id
      where p.id = ${personId} and a.archived_at is null
    ) as resident,
    exists (select 1 from ${house} where ${inArray(house.workspaceId, workspaceIds)}) as houses`);
  return rows[0];
}
