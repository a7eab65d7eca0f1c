import { z } from "zod";
import { withReason } from "../api/field-reasons";
import { METER_SERVICES, TARIFF_SERVICES } from "../constants";
import { decimal, id, idParam, isoDate, month, pagination, plainCharacters, text, typeError } from "./common";

// ---- field rules (the database constraints repeat them) ----

/** m², > 0, ≤ 10000, 2 decimals */
const area = decimal({ places: 2, min: "0", minExclusive: true, max: "10000", maxInclusive: true });
/** m³, ≥ 0, < 10^9, 3 decimals */
const readingValue = decimal({ places: 3, min: "0", max: "1000000000" });
/** roubles per unit, > 0, 4 decimals */
const price = decimal({ places: 4, min: "0", minExclusive: true, max: "10000000000" });

const meterService = z.enum(METER_SERVICES, { error: typeError(`one of ${METER_SERVICES.join(", ")}`) });
const tariffService = z.enum(TARIFF_SERVICES, { error: typeError(`one of ${TARIFF_SERVICES.join(", ")}`) });

const atLeastOneField = (o: object) => Object.values(o).some((v) => v !== undefined);
const NOTHING_TO_CHANGE = { message: "send at least one field to change", path: [] as string[], params: withReason("nothing_to_change") };

// ---- path parameters ----

export const idParams = z.strictObject({ id: idParam });
export const meterPeriodParams = z.strictObject({ id: idParam, period: month });

// ---- houses ----

export const listHousesQuery = z.strictObject({
  ...pagination,
  /** part of the address, case-insensitive */
  q: plainCharacters(z.string().trim().max(300, "must be at most 300 characters"))
    .optional()
    .meta({ description: "part of the address, case-insensitive" }),
});
export const createHouseBody = z.strictObject({
  address: text(300),
  workspace_id: id.optional().meta({ description: "one of the caller's workspaces; default: their own" }),
});
export const updateHouseBody = z.strictObject({ address: text(300) });

// ---- apartments ----

export const createApartmentBody = z.strictObject({ number: text(20), area });
export const updateApartmentBody = z
  .strictObject({
    number: text(20).optional(),
    area: area.optional(),
    archived: z
      .boolean({ error: typeError("true or false") })
      .optional()
      .meta({
        description: "true archives the apartment (gone from the lists and from later runs, its invoices kept); false brings it back",
      }),
  })
  .refine(atLeastOneField, NOTHING_TO_CHANGE)
  .meta({ minProperties: 1 });

// ---- meters ----

export const createMeterBody = z.strictObject({
  serial_number: text(64),
  service: meterService,
  installed_on: isoDate.nullable().optional(),
});
export const updateMeterBody = z
  .strictObject({
    serial_number: text(64).optional(),
    service: meterService.optional(),
    installed_on: isoDate.nullable().optional(),
  })
  .refine(atLeastOneField, NOTHING_TO_CHANGE)
  .meta({ minProperties: 1 });

// ---- readings ----

export const putReadingBody = z.strictObject({ value: readingValue });
const MAX_BULK_READINGS = 5000;
export const bulkReadingsBody = z.strictObject({
  period: month,
  readings: z
    .array(z.strictObject({ meter_id: id, value: readingValue }), { error: typeError("a list of { meter_id, value }") })
    .min(1, "must hold at least one reading")
    .max(MAX_BULK_READINGS, `must hold at most ${MAX_BULK_READINGS} readings`),
});

// ---- tariffs ----

export const listTariffsQuery = z.strictObject({
  house_id: idParam.optional().meta({ description: "the prices that apply to this house: its own and the workspace defaults" }),
});
export const createTariffBody = z
  .strictObject({
    service: tariffService,
    price,
    valid_from: month,
    house_id: id.nullable().optional().meta({ description: "a price for this house only; without it the price is the workspace default" }),
    workspace_id: id
      .optional()
      .meta({ description: "for a workspace default: one of the caller's workspaces (default: their own); not with house_id" }),
  })
  .refine((t) => !(t.house_id && t.workspace_id), {
    message: "give house_id or workspace_id, not both: a house price belongs to the house's workspace",
    params: withReason("house_or_workspace"),
    path: ["workspace_id"],
  });

export const updateTariffBody = z
  .strictObject({ price: price.optional(), valid_from: month.optional() })
  .refine(atLeastOneField, NOTHING_TO_CHANGE)
  .meta({ minProperties: 1 });

export type UpdateTariffBody = z.output<typeof updateTariffBody>;
export type ListHousesQuery = z.output<typeof listHousesQuery>;
export type CreateHouseBody = z.output<typeof createHouseBody>;
export type UpdateHouseBody = z.output<typeof updateHouseBody>;
export type CreateApartmentBody = z.output<typeof createApartmentBody>;
export type UpdateApartmentBody = z.output<typeof updateApartmentBody>;
export type CreateMeterBody = z.output<typeof createMeterBody>;
export type UpdateMeterBody = z.output<typeof updateMeterBody>;
export type BulkReadingsBody = z.output<typeof bulkReadingsBody>;
export type CreateTariffBody = z.output<typeof createTariffBody>;
