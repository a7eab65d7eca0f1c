import { ERROR_REASONS, type ErrorReason } from "../../lib/api/errors";
import { errorBody } from "../../lib/schemas/responses";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { insertSeededServices } from "../../db/queries/services";
import { apartment, house, invoice, meter, service, workspace } from "../../db/schema";
import { api } from "./api";
import { db } from "./db";

let counter = 0;
const unique = (prefix: string) => `${prefix} ${process.pid}-${++counter}`;

/** Creates through the API and fails the test loudly if the API refuses. */
async function create<T = any>(url: string, body: unknown): Promise<T> {
  const res = await api<T>("POST", url, body);
  expect(res.status, `POST ${url} ${JSON.stringify(res.body)}`).toBe(201);
  return res.body;
}

export const createHouse = (address = unique("ул. Тестовая, д.")) => create<{ id: number; address: string }>("/api/houses", { address });

export const createApartment = (houseId: number, body: { number?: string; area?: string | number } = {}) =>
  create<{ id: number; number: string; area: string }>(`/api/houses/${houseId}/apartments`, {
    number: body.number ?? String(++counter),
    area: body.area ?? "50.00",
  });

export const createMeter = (apartmentId: number, body: { serial_number?: string; service?: string; installed_on?: string } = {}) =>
  create<{ id: number; serial_number: string; service: string }>(`/api/apartments/${apartmentId}/meters`, {
    serial_number: body.serial_number ?? unique("SN"),
    service: body.service ?? "cold_water",
    ...(body.installed_on ? { installed_on: body.installed_on } : {}),
  });

export async function putReading(meterId: number, period: string, value: string | number) {
  const res = await api("PUT", `/api/meters/${meterId}/readings/${period}`, { value });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
  return res.body;
}

/** A house with one apartment holding one cold-water meter. */
export async function houseWithMeter() {
  const house = await createHouse();
  const apartment = await createApartment(house.id, { number: "1", area: "45.50" });
  const meter = await createMeter(apartment.id);
  return { house, apartment, meter };
}

/** Marks the apartment as billed for the month with an invoice row written directly. */
export async function addInvoice(apartmentId: number, month: string) {
  await db()
    .insert(invoice)
    .values({
      apartmentId,
      houseId: sql`(select house_id from apartment where id = ${apartmentId})`,
      period: `${month}-01`,
      water: "120.00",
      maintenance: "850.50",
      total: "970.50",
    });
}

/**
 * The `{ error }` body the API answers with, for toEqual: the code, a reason that belongs to it
 * (or the one given), an English message, `fields` as given (path → message) with a field
 * reason for each and for nothing else; params and retry_after only as the API's schema allows.
 */
export const apiError = (code: string, fields?: Record<string, unknown> | "some", expected: { reason?: ErrorReason } = {}) => ({
  asymmetricMatch(actual: unknown) {
    const body = actual as { error?: Record<string, unknown> };
    expect(Object.keys(body ?? {})).toEqual(["error"]);
    const { error } = body as { error: Record<string, any> };
    expect(error.code).toBe(code);
    expect(ERROR_REASONS[error.reason as ErrorReason], `reason ${error.reason} belongs to ${code}`).toBe(code);
    if (expected.reason) expect(error.reason).toBe(expected.reason);
    expect(error.message).toEqual(expect.any(String));
    expect(errorBody.safeParse(body).success, JSON.stringify(body)).toBe(true);
    if (fields === "some") {
      expect(Object.keys(error.fields ?? {}).length, "names at least one field").toBeGreaterThan(0);
      expect(Object.keys(error.field_reasons ?? {}).sort()).toEqual(Object.keys(error.fields ?? {}).sort());
    } else if (fields) {
      expect(error.fields).toEqual(fields);
      expect(Object.keys(error.field_reasons ?? {}).sort()).toEqual(Object.keys(error.fields ?? {}).sort());
    } else {
      expect(error.fields).toBeUndefined();
      expect(error.field_reasons).toBeUndefined();
    }
    return true;
  },
  toString: () => `an API error ${code}${fields ? ` with fields ${fields === "some" ? "(some)" : Object.keys(fields).join(", ")}` : ""}`,
  toAsymmetricMatcher: () => `apiError(${code})`,
});

/** A house with a meter in a workspace the API's caller cannot see. */
export async function meterOfAnotherWorkspace() {
  const [ws] = await db().insert(workspace).values({ name: "Другая УК" }).returning({ id: workspace.id });
  const [h] = await db().insert(house).values({ workspaceId: ws.id, address: "ул. Чужая, 1" }).returning({ id: house.id });
  const [a] = await db().insert(apartment).values({ houseId: h.id, number: "1", area: "40.00" }).returning({ id: apartment.id });
  const [m] = await db()
    .insert(meter)
    .values({ apartmentId: a.id, workspaceId: ws.id, serialNumber: "FOREIGN-1", service: "cold_water" })
    .returning({ id: meter.id });
  return { houseId: h.id, meterId: m.id };
}

/**
 * A workspace made by inserting rows (not by a sign-in) has no services: seeds them (as a
 * sign-in would) and answers code → service id.
 */
export async function workspaceServices(workspaceId: number): Promise<Record<string, number>> {
  const existing = await db()
    .select({ id: service.id, code: service.code })
    .from(service)
    .where(sql`${service.workspaceId} = ${workspaceId}`);
  if (existing.length === 0) {
    await insertSeededServices(db(), workspaceId);
    return workspaceServices(workspaceId);
  }
  return Object.fromEntries(existing.map((s) => [s.code, s.id]));
}
