import { z } from "zod";
import type { FieldReason } from "../api/errors";
import { withReason } from "../api/field-reasons";
import { METER_SERVICES, SERVICE_BASES, SERVICE_CODE_PATTERN } from "../constants";
import { ACCOUNT_PATTERN, BIC_PATTERN, INN_PATTERN, KPP_PATTERN, innCheckDigitsValid } from "../receipts/requisites";
import { decimal, id, idParam, isoDate, month, pagination, plainCharacters, text, typeError } from "./common";

// ---- field rules (the database constraints repeat them) ----

/** m², > 0, ≤ 10000, 2 decimals */
const area = decimal({ places: 2, min: "0", minExclusive: true, max: "10000", maxInclusive: true });
/** m³, ≥ 0, < 10^9, 3 decimals */
export const readingValue = decimal({ places: 3, min: "0", max: "1000000000" });
/** roubles per unit, > 0, 4 decimals */
const price = decimal({ places: 4, min: "0", minExclusive: true, max: "10000000000" });
/** m³ per person per month, > 0, 4 decimals */
const normativeValue = decimal({ places: 4, min: "0", minExclusive: true, max: "1000" });
/** persons registered in an apartment */
const residents = z
  .int({ error: typeError("a whole number of persons") })
  .min(0, "must not be negative")
  .max(999, "must be at most 999")
  .meta({ description: "persons registered in the apartment (0–999)" });

const meterService = z.enum(METER_SERVICES, { error: typeError(`one of ${METER_SERVICES.join(", ")}`) });
const serviceBasis = z.enum(SERVICE_BASES, { error: typeError(`one of ${SERVICE_BASES.join(", ")}`) });
/** A service's code: its workspace's catalogue says which exist. */
const serviceCode = z
  .string({ error: typeError("a service code") })
  .refine((c) => SERVICE_CODE_PATTERN.test(c), {
    message: "must be 2–32 lower-case Latin letters, digits or underscores, a letter first (e.g. heating)",
    params: withReason("not_service_code"),
  })
  .meta({ description: "a service's code, e.g. cold_water, maintenance, heating", pattern: SERVICE_CODE_PATTERN.source });

/** The apartment's account (лицевой счёт) number: what bank registries and receipts name it by. */
const ACCOUNT_NUMBER = /^[\p{L}0-9/-]+$/u;
const accountNumber = plainCharacters(
  z
    .string({ error: typeError("a string") })
    .trim()
    .min(1, "must not be empty"),
)
  .refine((s) => [...s].length <= 20, { message: "must be at most 20 characters", params: withReason("too_long", { max: 20 }) })
  .refine((s) => ACCOUNT_NUMBER.test(s), {
    message: "must be letters, digits, hyphens and slashes only",
    params: withReason("not_account_number"),
  })
  .meta({
    maxLength: 20,
    pattern: ACCOUNT_NUMBER.source,
    description:
      "the account (лицевой счёт) number, 1–20 letters, digits, `-` or `/` after trimming; unique in the workspace (409 account_number_taken)",
  });

/** The owner's name as the payment document shows it (the payer, issue 17). */
const ownerName = plainCharacters(z.string({ error: typeError("a string") }).trim())
  .refine((s) => [...s].length <= 300, { message: "must be at most 300 characters", params: withReason("too_long", { max: 300 }) })
  .optional()
  .meta({
    maxLength: 300,
    description:
      'the owner\'s (payer\'s) name for the payment document, e.g. "Иванов Иван Иванович"; at most 300 characters after trimming, "" clears it',
  });

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

export const createApartmentBody = z.strictObject({
  number: text(20),
  area,
  residents: residents.optional(),
  account_number: accountNumber.optional().meta({ description: "default: the apartment's id, zero-padded to 8 digits" }),
  owner_name: ownerName,
});
export const updateApartmentBody = z
  .strictObject({
    number: text(20).optional(),
    area: area.optional(),
    residents: residents.optional(),
    account_number: accountNumber.optional(),
    owner_name: ownerName,
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
  verified_until: isoDate
    .nullable()
    .optional()
    .meta({ description: "the last day of the meter's verification interval; its readings of later months are not used" }),
});
export const updateMeterBody = z
  .strictObject({
    serial_number: text(64).optional(),
    service: meterService.optional(),
    installed_on: isoDate.nullable().optional(),
    verified_until: isoDate.nullable().optional(),
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
    service: serviceCode.meta({ description: "the code of one of the workspace's services (GET /api/services)" }),
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

// ---- services ----

const isMeterCode = (s: { code?: string; basis?: string }) =>
  s.basis !== "meter" || (METER_SERVICES as readonly string[]).includes(s.code ?? "");
const METER_CODE = {
  message: `a meter service bills the meters of its code: the code must be one of ${METER_SERVICES.join(", ")}`,
  params: withReason("meter_service_code"),
  path: ["code"],
};

export const createServiceBody = z
  .strictObject({
    code: serviceCode.meta({ description: "never changes once created; for meter services, the meters' service" }),
    name_ru: text(100),
    name_en: text(100),
    basis: serviceBasis,
    active: z
      .boolean({ error: typeError("true or false") })
      .optional()
      .meta({ description: "billed from now on; default false: a new service is switched on by its first price" }),
    workspace_id: id.optional().meta({ description: "one of the caller's workspaces; default: their own" }),
  })
  .refine(isMeterCode, METER_CODE);
export const updateServiceBody = z
  .strictObject({
    name_ru: text(100).optional(),
    name_en: text(100).optional(),
    basis: serviceBasis.optional().meta({ description: "only while no billed invoice has a line of the service" }),
    active: z.boolean({ error: typeError("true or false") }).optional(),
    switched_off_houses: z
      .array(id, { error: typeError("a list of house ids") })
      .max(10000, "must hold at most 10000 houses")
      .optional()
      .meta({ description: "the houses of the workspace not billed for this service (replaces the list)" }),
  })
  .refine(atLeastOneField, NOTHING_TO_CHANGE)
  .meta({ minProperties: 1 });

// ---- normatives ----

export const listNormativesQuery = z.strictObject({
  house_id: idParam.optional().meta({ description: "the normatives that apply to this house: its own and the workspace defaults" }),
});
export const createNormativeBody = z
  .strictObject({
    service: meterService,
    value: normativeValue.meta({ description: "m³ per registered person per month, > 0, up to 4 decimals" }),
    valid_from: month,
    house_id: id.nullable().optional().meta({ description: "a normative for this house only; without it, the workspace default" }),
    workspace_id: id
      .optional()
      .meta({ description: "for a workspace default: one of the caller's workspaces (default: their own); not with house_id" }),
  })
  .refine((t) => !(t.house_id && t.workspace_id), {
    message: "give house_id or workspace_id, not both: a house normative belongs to the house's workspace",
    params: withReason("house_or_workspace"),
    path: ["workspace_id"],
  });

export const updateTariffBody = z
  .strictObject({ price: price.optional(), valid_from: month.optional() })
  .refine(atLeastOneField, NOTHING_TO_CHANGE)
  .meta({ minProperties: 1 });

// ---- billing settings (issue 16) ----

/** A day of the month of the residents' reading window. */
const windowDay = (end: string) =>
  z
    .int({ error: typeError("a whole day of the month, 1–31") })
    .min(1, "must be at least 1")
    .max(31, "must be at most 31")
    .optional()
    .meta({
      description: `the ${end} day of the month (1–31, inclusive) residents may send their readings from /my; a member's own entry is never limited by it`,
    });

export const updateBillingSettingsBody = z
  .strictObject({
    payment_due_day: z
      .int({ error: typeError("a whole day of the month, 1–28") })
      .min(1, "must be at least 1")
      .max(28, "must be at most 28")
      .optional()
      .meta({
        description:
          "the day of the next month a month's bill is due (ЖК РФ ст. 155 ч. 1), 1–28: a due date on a Saturday or Sunday moves to the Monday",
      }),
    reading_window_from: windowDay("first"),
    reading_window_to: windowDay("last"),
  })
  .refine(atLeastOneField, NOTHING_TO_CHANGE)
  .meta({ minProperties: 1 });
export const keyRateParams = z.strictObject({
  id: idParam,
  valid_from: isoDate.meta({ description: 'the day the rate is in force from, "YYYY-MM-DD"' }),
});
export const putKeyRateBody = z.strictObject({
  percent: decimal({ places: 2, min: "0", minExclusive: true, max: "100" }).meta({
    description: 'the key rate, % a year: > 0 and < 100, at most 2 decimals, best sent as a string ("16.5")',
  }),
});

// ---- the organisation's requisites (issue 17) ----

/** A requisite's text: trimmed, '' clears it, at most `max` characters, one plain line. */
function requisiteText(max: number) {
  return plainCharacters(z.string({ error: typeError("a string") }).trim())
    .refine((s) => [...s].length <= max, { message: `must be at most ${max} characters`, params: withReason("too_long", { max }) })
    .optional()
    .meta({ maxLength: max, description: `at most ${max} characters after trimming, one line; "" clears it` });
}

/** A requisite made of digits: '' clears it; otherwise the pattern, then the extra rule. */
function requisiteCode(pattern: RegExp, format: { message: string; reason: FieldReason }, description: string) {
  return z
    .string({ error: typeError("a string") })
    .trim()
    .refine((s) => s === "" || pattern.test(s), { message: format.message, params: withReason(format.reason), abort: true })
    .optional()
    .meta({ pattern: `^(${pattern.source.replace(/^\^|\$$/g, "")})?$`, description: `${description}; "" clears it` });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const updateRequisitesBody = z
  .strictObject({
    org_name: requisiteText(300),
    inn: requisiteCode(
      INN_PATTERN,
      { message: "must be 10 digits (an organisation) or 12 digits (an entrepreneur)", reason: "not_inn" },
      "ИНН",
    )
      .refine((s) => !s || innCheckDigitsValid(s), {
        message: "has a wrong check digit",
        params: withReason("inn_check_digit"),
      })
      .meta({
        description: 'ИНН: 10 digits (an organisation) or 12 (an entrepreneur), check digits verified (422 inn_check_digit); "" clears it',
      }),
    kpp: requisiteCode(
      KPP_PATTERN,
      { message: "must be 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits", reason: "not_kpp" },
      "КПП",
    ),
    org_address: requisiteText(500),
    org_phone: requisiteText(40),
    org_email: requisiteText(254).refine((s) => !s || EMAIL.test(s), {
      message: "must be an email address",
      params: withReason("not_email"),
    }),
    org_site: requisiteText(200),
    settlement_account: requisiteCode(
      ACCOUNT_PATTERN,
      { message: "must be 20 digits", reason: "not_bank_account" },
      "расчётный счёт, 20 digits; its key is checked against the BIC as stored after the change (422 account_check_digit)",
    ),
    bank_name: requisiteText(300),
    bic: requisiteCode(
      BIC_PATTERN,
      { message: "must be 9 digits starting with 04", reason: "not_bic" },
      "БИК of the bank, 9 digits starting with 04",
    ),
    correspondent_account: requisiteCode(
      ACCOUNT_PATTERN,
      { message: "must be 20 digits", reason: "not_bank_account" },
      "корреспондентский счёт of the bank, 20 digits starting with 301, its key checked against the BIC (422 account_check_digit)",
    ).refine((s) => !s || s.startsWith("301"), {
      message: "must start with 301",
      params: withReason("not_correspondent_account"),
    }),
  })
  .refine(atLeastOneField, NOTHING_TO_CHANGE)
  .meta({ minProperties: 1 });

export type UpdateRequisitesBody = z.output<typeof updateRequisitesBody>;
export type UpdateTariffBody = z.output<typeof updateTariffBody>;
export type ListHousesQuery = z.output<typeof listHousesQuery>;
export type CreateHouseBody = z.output<typeof createHouseBody>;
export type UpdateHouseBody = z.output<typeof updateHouseBody>;
export type CreateApartmentBody = z.output<typeof createApartmentBody>;
export type UpdateApartmentBody = z.output<typeof updateApartmentBody>;
export type CreateMeterBody = z.output<typeof createMeterBody>;
export type UpdateMeterBody = z.output<typeof updateMeterBody>;
export type BulkReadingsBody = z.output<typeof bulkReadingsBody>;
export type UpdateBillingSettingsBody = z.output<typeof updateBillingSettingsBody>;
export type CreateTariffBody = z.output<typeof createTariffBody>;
export type CreateServiceBody = z.output<typeof createServiceBody>;
export type UpdateServiceBody = z.output<typeof updateServiceBody>;
export type CreateNormativeBody = z.output<typeof createNormativeBody>;
