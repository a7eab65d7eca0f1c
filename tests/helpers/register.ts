import { env } from "../../lib/env";
import { currentMonth } from "../../lib/months";

// One workspace's register as ids, and every request that touches it: the isolation tests
// (another workspace's ids are 404 and change nothing) run this one list, so a new way to
// reach a register is added once.

const thisMonth = () => currentMonth(env().APP_TIMEZONE);

/** The ids of one workspace's register. */
export interface Register {
  workspaceId: number;
  houseId: number;
  apartmentId: number;
  meterId: number;
  houseTariffId: number;
  workspaceTariffId: number;
  /** one of the workspace's services */
  serviceId: number;
}

export type Request = [method: string, url: string, body?: unknown];

/** Every way to read, change or delete a workspace's register, or to create in it. */
export const touching: [string, (r: Register) => Request][] = [
  ["GET /api/houses/:id", (r) => ["GET", `/api/houses/${r.houseId}`]],
  ["PATCH /api/houses/:id", (r) => ["PATCH", `/api/houses/${r.houseId}`, { address: "ул. Захваченная, 1" }]],
  ["DELETE /api/houses/:id", (r) => ["DELETE", `/api/houses/${r.houseId}`]],
  ["POST /api/houses with workspace_id", (r) => ["POST", "/api/houses", { address: "ул. Подброшенная, 1", workspace_id: r.workspaceId }]],
  ["POST /api/houses/:id/apartments", (r) => ["POST", `/api/houses/${r.houseId}/apartments`, { number: "99", area: "10.00" }]],
  ["GET /api/apartments/:id", (r) => ["GET", `/api/apartments/${r.apartmentId}`]],
  ["PATCH /api/apartments/:id", (r) => ["PATCH", `/api/apartments/${r.apartmentId}`, { area: "99.00" }]],
  ["DELETE /api/apartments/:id", (r) => ["DELETE", `/api/apartments/${r.apartmentId}`]],
  [
    "POST /api/apartments/:id/meters",
    (r) => ["POST", `/api/apartments/${r.apartmentId}/meters`, { serial_number: "INTRUDER-1", service: "hot_water" }],
  ],
  ["GET /api/meters/:id", (r) => ["GET", `/api/meters/${r.meterId}`]],
  ["PATCH /api/meters/:id", (r) => ["PATCH", `/api/meters/${r.meterId}`, { serial_number: "INTRUDER-2" }]],
  ["DELETE /api/meters/:id", (r) => ["DELETE", `/api/meters/${r.meterId}`]],
  ["GET /api/meters/:id/readings", (r) => ["GET", `/api/meters/${r.meterId}/readings`]],
  ["PUT /api/meters/:id/readings/:period", (r) => ["PUT", `/api/meters/${r.meterId}/readings/${thisMonth()}`, { value: "150.000" }]],
  [
    "POST /api/houses/:id/readings",
    (r) => ["POST", `/api/houses/${r.houseId}/readings`, { period: thisMonth(), readings: [{ meter_id: r.meterId, value: "150.000" }] }],
  ],
  ["GET /api/tariffs?house_id=", (r) => ["GET", `/api/tariffs?house_id=${r.houseId}`]],
  [
    "POST /api/tariffs with house_id",
    (r) => ["POST", "/api/tariffs", { service: "maintenance", price: "30.00", valid_from: thisMonth(), house_id: r.houseId }],
  ],
  [
    "POST /api/tariffs with workspace_id",
    (r) => ["POST", "/api/tariffs", { service: "maintenance", price: "30.00", valid_from: thisMonth(), workspace_id: r.workspaceId }],
  ],
  ["GET /api/apartments/:id/residents", (r) => ["GET", `/api/apartments/${r.apartmentId}/residents`]],
  [
    "POST /api/apartments/:id/residents",
    (r) => ["POST", `/api/apartments/${r.apartmentId}/residents`, { phone: "+79990001122", kind: "owner" }],
  ],
  ["GET /api/services/:id", (r) => ["GET", `/api/services/${r.serviceId}`]],
  ["PATCH /api/services/:id", (r) => ["PATCH", `/api/services/${r.serviceId}`, { name_ru: "Захваченная" }]],
  ["DELETE /api/services/:id", (r) => ["DELETE", `/api/services/${r.serviceId}`]],
  [
    "POST /api/services with workspace_id",
    (r) => [
      "POST",
      "/api/services",
      { code: "intruder", name_ru: "Чужая", name_en: "Alien", basis: "apartment", workspace_id: r.workspaceId },
    ],
  ],
  ["GET /api/normatives?house_id=", (r) => ["GET", `/api/normatives?house_id=${r.houseId}`]],
  [
    "POST /api/normatives with house_id",
    (r) => ["POST", "/api/normatives", { service: "cold_water", value: "4.85", valid_from: thisMonth(), house_id: r.houseId }],
  ],
  [
    "POST /api/normatives with workspace_id",
    (r) => ["POST", "/api/normatives", { service: "cold_water", value: "4.85", valid_from: thisMonth(), workspace_id: r.workspaceId }],
  ],
];
