import { z } from "zod";
import { withReason } from "../api/field-reasons";
import { READING_SOURCES, RESIDENT_KINDS } from "../constants";
import { phone } from "./accounts";
import { id, idParam, plainCharacters, typeError } from "./common";
import { account } from "./ledger";
import { readingValue } from "./registry";
import { invoice } from "./responses";
import * as values from "./values";

// The residents of an apartment and what a resident reaches at /my (issue 18): the requests and
// the answers.

// ---- requests ----

const residentKind = z
  .enum(RESIDENT_KINDS, { error: typeError(`one of ${RESIDENT_KINDS.join(", ")}`) })
  .meta({ description: "owner (собственник) or tenant (наниматель, арендатор)" });

/** How the manager knows the resident, e.g. "Иванова А. П."; "" when not said. */
const residentName = plainCharacters(z.string({ error: typeError("a string") }).trim())
  .refine((s) => [...s].length <= 200, { message: "must be at most 200 characters", params: withReason("too_long", { max: 200 }) })
  .meta({ maxLength: 200, description: 'how the manager knows the resident, at most 200 characters; "" for none' });

export const residentParams = z.strictObject({ id: idParam, resident_id: idParam });

export const createResidentBody = z.strictObject({
  phone: phone.meta({ description: "the resident's phone in any common form; kept as E.164 (+79991234567), as sign-in does" }),
  kind: residentKind,
  name: residentName.optional(),
});

export const updateResidentBody = z
  .strictObject({ kind: residentKind.optional(), name: residentName.optional() })
  .refine((o) => Object.values(o).some((v) => v !== undefined), {
    message: "send at least one field to change",
    path: [],
    params: withReason("nothing_to_change"),
  })
  .meta({ minProperties: 1 });

const MAX_RESIDENT_READINGS = 50;
export const residentReadingsBody = z.strictObject({
  readings: z
    .array(z.strictObject({ meter_id: id, value: readingValue }), { error: typeError("a list of { meter_id, value }") })
    .min(1, "must hold at least one reading")
    .max(MAX_RESIDENT_READINGS, `must hold at most ${MAX_RESIDENT_READINGS} readings`),
  confirm_suspicious: z
    .boolean({ error: typeError("true or false") })
    .optional()
    .meta({ description: "true: the sender has seen that some values look wrong (409 reading_suspicious) and sends them as they are" }),
});

export type CreateResidentBody = z.output<typeof createResidentBody>;
export type UpdateResidentBody = z.output<typeof updateResidentBody>;
export type ResidentReadingsBody = z.output<typeof residentReadingsBody>;

// ---- answers ----

export const resident = z.strictObject({
  id: values.id,
  apartment_id: values.id,
  phone: z.string().meta({ description: "E.164, e.g. +79991234567" }),
  kind: z.enum(RESIDENT_KINDS),
  name: z.string(),
  created_at: values.timestamp,
});
export const residentList = z.strictObject({ apartment_id: values.id, items: z.array(resident) });

const readingSource = z.enum(READING_SOURCES).meta({ description: "who entered it: manager, resident, import or api" });
const sourcedReading = z.strictObject({ period: values.month, value: values.readingValue, source: readingSource });

const readingWindow = z.strictObject({
  from: z.int().min(1).max(31).meta({ description: "the first day of the month readings are taken from residents" }),
  to: z.int().min(1).max(31).meta({ description: "the last day (inclusive)" }),
  open: z.boolean().meta({ description: "whether today (in the application's time zone) is one of those days" }),
});

const myMeter = z.strictObject({
  id: values.id,
  serial_number: z.string(),
  service: z.string(),
  last: sourcedReading.nullable().meta({ description: "the latest reading before this month" }),
  current: sourcedReading.nullable().meta({ description: "this month's reading, if there is one" }),
});

const myApartment = z.strictObject({
  id: values.id,
  number: z.string(),
  account_number: z.string(),
  address: z.string(),
  workspace_id: values.id,
  workspace_name: z.string(),
  kind: z.enum(RESIDENT_KINDS),
  period: values.month.meta({ description: "the month readings are sent for now (the current month)" }),
  window: readingWindow,
  balance: z.string().meta({ description: "roubles, 2 decimals: + is owed, − is paid ahead" }),
  meters: z.array(myMeter),
});
export const myApartmentList = z.strictObject({ items: z.array(myApartment) });

const meterHistory = z.strictObject({
  meter_id: values.id,
  items: z.array(sourcedReading.extend({ consumption: values.readingValue.nullable() })),
});
export const myApartmentDetail = myApartment.extend({
  history: z.array(meterHistory).meta({ description: "each meter's readings, newest first" }),
  invoices: z.array(invoice),
  account,
});

export const residentReadingsSaved = z.strictObject({
  apartment_id: values.id,
  period: values.month,
  items: z.array(z.strictObject({ meter_id: values.id, value: values.readingValue, status: z.enum(["created", "replaced"]) })),
});

export type Resident = z.output<typeof resident>;
export type ResidentList = z.output<typeof residentList>;
export type MyApartment = z.output<typeof myApartment>;
export type MyApartmentList = z.output<typeof myApartmentList>;
export type MyApartmentDetail = z.output<typeof myApartmentDetail>;
export type ResidentReadingsSaved = z.output<typeof residentReadingsSaved>;
