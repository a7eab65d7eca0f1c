import { z } from "zod";
import { ERROR_REASONS, ERROR_STATUS, FIELD_REASONS, type ErrorCode, type ErrorReason } from "../api/errors";
import {
  BOARD_STATES,
  CHECK_BLOCKERS,
  CHECK_PROBLEMS,
  HISTORY_ACTIONS,
  HISTORY_ENTITIES,
  INVOICE_STATUSES,
  MEMBER_ROLES,
  MEMBER_STATUSES,
  METER_SERVICES,
  METER_VOLUME_KINDS,
  MONTH_ACTIONS,
  OUT_OF_DATE_REASONS,
  READING_SOURCES,
  REQUISITE_FIELDS,
  RUN_FAILURE_REASONS,
  RUN_STATUSES,
  SERVICE_BASES,
  UNITS,
  type BoardState,
} from "../constants";
import { billingFlag, flagCounts, invoiceLineDetails } from "./stored";
import { areaValue, count, id, money, month, priceValue, reading, readingValue, timestamp } from "./values";

// What the API answers, for the OpenAPI description; under test every answer is checked
// against these (lib/api/response-check.ts). Strict objects: an undocumented field is a failure.

const reasonParams = z
  .record(z.string(), z.union([z.string(), z.number()]))
  .meta({ description: "the values the reason's text is built with (a month, a limit, an id)" });
export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]).meta({ description: "the broad kind of error" }),
    reason: z
      .enum(Object.keys(ERROR_REASONS) as [ErrorReason, ...ErrorReason[]])
      .meta({ description: "the specific case, stable: what a person is told (each page translates it)" }),
    message: z.string().meta({ description: "plain English words for integrators" }),
    params: reasonParams.optional(),
    fields: z.record(z.string(), z.string()).optional().meta({ description: 'field path ("readings.3.value") → what is wrong with it' }),
    field_reasons: z
      .record(z.string(), z.strictObject({ reason: z.enum(FIELD_REASONS), params: reasonParams.optional() }))
      .optional()
      .meta({ description: "field path → the specific case for that field, with its params (the same paths as `fields`)" }),
    retry_after: z
      .int()
      .min(0)
      .optional()
      .meta({ description: "seconds until the request may be tried again (429 rate limited, 503 database unavailable)" }),
  }),
});

// ---- building blocks ----

const meterServiceEnum = z.enum(METER_SERVICES);
const serviceCode = z.string().meta({ description: "the service's code (GET /api/services)" });
const basis = z.enum(SERVICE_BASES).meta({
  description:
    "what the quantity is made of: meter (the meters of the service, m³), water_sum (cold + hot water as billed, m³), area (m²), residents (persons), apartment (a fixed fee)",
});
const unit = z.enum(UNITS).meta({ description: "m3 (water), m2 (area), person (residents), apartment (a fixed fee)" });
const meterFields = {
  id,
  serial_number: z.string(),
  service: meterServiceEnum,
  installed_on: z.string().nullable().meta({ description: 'a date, "YYYY-MM-DD"' }),
  verified_until: z
    .string()
    .nullable()
    .meta({ description: 'the last day of its verification interval, "YYYY-MM-DD"; readings of later months are not used' }),
};
const residents = count.meta({ description: "persons registered in the apartment" });
const accountNumber = z
  .string()
  .min(1)
  .max(20)
  .meta({ description: "the apartment's account (лицевой счёт) number, unique in its workspace" });
const ownerName = z.string().max(300).meta({ description: "the owner's (payer's) name for the payment document; \"\" while not given" });

// ---- register ----

export const service = z.strictObject({
  id,
  workspace_id: id,
  code: serviceCode,
  name_ru: z.string(),
  name_en: z.string(),
  basis,
  unit,
  active: z.boolean().meta({ description: "billed for the workspace's houses, less switched_off_houses" }),
  switched_off_houses: z.array(id).meta({ description: "houses not billed for this service" }),
  billed: z.boolean().meta({ description: "a billed invoice has a line of it: it can be renamed, not deleted or re-based" }),
  created_at: timestamp,
});
export const serviceList = z.strictObject({ items: z.array(service) });

export const normative = z.strictObject({
  id,
  workspace_id: id,
  house_id: id.nullable().meta({ description: "null: the workspace default" }),
  service: meterServiceEnum,
  value: z
    .string()
    .regex(/^\d+\.\d{4}$/)
    .meta({ description: "m³ per registered person per month, 4 decimals" }),
  valid_from: month,
  created_at: timestamp,
});
export const normativeList = z.strictObject({ items: z.array(normative) });

export const tariff = z.strictObject({
  id,
  workspace_id: id,
  house_id: id.nullable().meta({ description: "null: the workspace default" }),
  service: serviceCode,
  service_id: id,
  unit,
  price: priceValue,
  valid_from: month,
  created_at: timestamp,
  billed: z.boolean().meta({
    description: "an invoice line was billed at this price (a draft's price can still be corrected: the drafts go out of date)",
  }),
  closed: z.boolean().meta({
    description:
      "a house it applies to has posted a month from its first month on: it can no longer be corrected or deleted (409 month_closed)",
  }),
});
export const tariffList = z.strictObject({ items: z.array(tariff) });

export const houseSummary = z.strictObject({
  id,
  workspace_id: id,
  address: z.string(),
  apartments_count: count,
  total_area: areaValue,
  last_billed_period: month.nullable(),
  created_at: timestamp,
});
export const housePage = z.strictObject({ items: z.array(houseSummary), total: count, limit: count, offset: count });

export const houseDetail = houseSummary.extend({
  apartments: z.array(
    z.strictObject({
      id,
      number: z.string(),
      account_number: accountNumber,
      owner_name: ownerName,
      area: areaValue,
      residents,
      meters: z.array(z.strictObject({ ...meterFields, last_reading: reading.nullable() })),
    }),
  ),
  archived_apartments: z
    .array(z.strictObject({ id, number: z.string(), account_number: accountNumber, archived_at: timestamp }))
    .meta({ description: "the house's archived apartments (not in `apartments`, counts or areas): kept for their invoices" }),
  tariffs_month: month.meta({ description: "the month the prices below are in force in (the current one)" }),
  tariffs: z.array(tariff).meta({ description: "per service, the price in force: the house's own or the workspace default" }),
});

export const meter = z.strictObject({
  ...meterFields,
  apartment_id: id,
  house_id: id,
  created_at: timestamp,
  last_reading: reading.nullable(),
});

export const apartment = z.strictObject({
  id,
  house_id: id,
  number: z.string(),
  account_number: accountNumber,
  owner_name: ownerName,
  area: areaValue,
  residents,
  archived_at: timestamp.nullable().meta({ description: "when the apartment was archived; null while it is in use" }),
  created_at: timestamp,
  meters: z.array(
    z.strictObject({
      ...meterFields,
      readings: z.array(reading).meta({ description: "the last 12, newest first" }),
    }),
  ),
});

// ---- readings ----

export const readingSaved = z.strictObject({
  meter_id: id,
  period: month,
  value: readingValue,
  status: z.enum(["created", "replaced"]),
  created_at: timestamp,
  updated_at: timestamp,
});
/** Where a stored reading came from and who sent it (the latest value's sender). */
const readingOrigin = {
  source: z.enum(READING_SOURCES).meta({
    description:
      "manager: typed by a member of the workspace (the pages, or a session's token); resident: sent by a resident from /my; " +
      "import: from a readings file; api: written with an API key. Readings stored before this field existed are manager",
  }),
  sent_by: z
    .strictObject({
      person_id: id.nullable().meta({ description: "the member or resident who sent it; null for an API key, or when not known" }),
      phone: z.string().nullable().meta({ description: "that person's phone, as it is now" }),
      api_key_id: id.nullable(),
      api_key_name: z.string().nullable().meta({ description: "the key's name; null once the key is deleted" }),
      import_id: id.nullable().meta({ description: "the readings import it came from" }),
    })
    .meta({ description: "who sent the value" }),
};
export type ReadingOriginView = z.output<z.ZodObject<typeof readingOrigin>>;

export const readingList = z.strictObject({
  meter_id: id,
  items: z.array(
    z.strictObject({
      period: month,
      value: readingValue,
      consumption: readingValue.nullable().meta({ description: "since the reading before; null for the first one" }),
      ...readingOrigin,
      created_at: timestamp,
      updated_at: timestamp,
    }),
  ),
});
export const bulkReadingsResult = z.strictObject({
  house_id: id,
  period: month,
  created: count,
  replaced: count,
  items: z.array(readingSaved),
});
export const readingSheet = z.strictObject({
  house_id: id,
  address: z.string(),
  period: month,
  closed_through: month.nullable().meta({
    description: "the house's latest posted month: when it is this month or later, the month takes no readings (409 month_closed)",
  }),
  items: z.array(
    z.strictObject({
      meter_id: id,
      apartment_id: id,
      apartment_number: z.string(),
      serial_number: z.string(),
      service: meterServiceEnum,
      previous: reading.nullable().meta({ description: "the latest reading before the month" }),
      current: z
        .strictObject({ value: readingValue, ...readingOrigin })
        .nullable()
        .meta({ description: "the month's own reading" }),
      next: reading.nullable().meta({ description: "the earliest reading after the month (the value may not exceed it)" }),
      usual_consumption: readingValue.nullable().meta({ description: "a typical month's consumption, to flag unusual values" }),
      average_use: readingValue
        .nullable()
        .meta({ description: "the average use per month over the 6 months before (m³); null with too little history" }),
      zero_months: count.meta({ description: "months in a row right before this one with no use at all" }),
    }),
  ),
});

// ---- billing ----

export const billingCheck = z.strictObject({
  house_id: id,
  address: z.string(),
  period: month,
  ready: z.boolean().meta({ description: "nothing blocks a run: every billed service has a price, every needed normative exists" }),
  counts: z.strictObject({
    apartments: count,
    meters: count,
    readings: count.meta({ description: "meters with a usable reading this month" }),
    no_reading: count,
    estimated_average: count,
    estimated_normative: count,
    true_up: count.meta({ description: "meters whose reading trues up earlier estimates" }),
    verification_expired: count,
    verification_expiring: count,
    suspicious: count,
    apartments_without_meters: count,
  }),
  blocking: z
    .array(
      z.strictObject({
        problem: z.enum(CHECK_BLOCKERS),
        service: z.string().meta({ description: "the service's code (a meter service's for a missing normative)" }),
        name_ru: z.string().nullable(),
        name_en: z.string().nullable(),
      }),
    )
    .meta({ description: "what fails the run before any invoice" }),
  items: z
    .array(
      z.strictObject({
        apartment_id: id,
        apartment_number: z.string(),
        meter_id: id.nullable(),
        serial_number: z.string().nullable(),
        service: meterServiceEnum.nullable(),
        problems: z.array(z.enum(CHECK_PROBLEMS)).min(1),
        kind: z.enum(METER_VOLUME_KINDS).nullable().meta({ description: "how the run would obtain the meter's volume" }),
        volume: readingValue
          .nullable()
          .meta({ description: "the volume the run would bill (m³); null when a needed normative is missing" }),
        current: readingValue.nullable().meta({ description: "the month's reading, usable or not" }),
        basis: reading.nullable().meta({ description: "the reading the month is counted from (L)" }),
        months_since_basis: count.nullable().meta({ description: "months from the basis to this month (k)" }),
        average_months: count.nullable().meta({ description: "the months the average is taken over (n, at least 3)" }),
        residents: count,
        normative: z.string().nullable().meta({ description: "m³ per person per month in force, for the meter's service" }),
        verified_until: z.string().nullable(),
        suspicion: z
          .strictObject({
            kind: z.enum(["high", "decrease", "zero"]),
            use: readingValue.optional(),
            expected: readingValue.optional(),
            previous: readingValue.optional(),
            months: count.optional(),
          })
          .nullable(),
      }),
    )
    .meta({ description: "the meters and apartments that need a look, in apartment order" }),
});
export const billingRun = z.strictObject({
  id,
  workspace_id: id,
  house_id: id.nullable().meta({ description: "null: a run over every house of the workspace" }),
  period: month,
  status: z.enum(RUN_STATUSES),
  processed: count.meta({ description: "apartments billed so far" }),
  total: count.meta({ description: "apartments to bill" }),
  percent: z.int().min(0).max(100),
  created_at: timestamp,
  started_at: timestamp.nullable(),
  finished_at: timestamp.nullable(),
  error: z.string().nullable().meta({ description: "why a failed run failed, in English" }),
  error_reason: z
    .enum(RUN_FAILURE_REASONS)
    .nullable()
    .meta({ description: "why a failed run failed: the case, stable (the pages translate it)" }),
  error_params: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .nullable()
    .meta({ description: "the values error_reason's text is built with (missing_price: month, service, house_id, address, more)" }),
  summary: z.strictObject({
    invoices: count,
    water: money,
    maintenance: money,
    total: money,
    flags: flagCounts,
  }),
});
export const billingRunList = z.strictObject({ items: z.array(billingRun) });

const invoiceLine = z.strictObject({
  service: serviceCode,
  service_id: id,
  service_name: z.strictObject({ ru: z.string(), en: z.string() }).meta({ description: "the service's name as it is now" }),
  kind: basis,
  unit,
  quantity: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .meta({
      description:
        "m³ (3 decimals) for water, m² (2 decimals) for area, persons or 1 (whole numbers); negative only on a true-up line (flag true_up)",
    }),
  price: priceValue,
  amount: money.meta({
    description: "quantity × price, rounded half-up to kopecks once (a credit symmetrically); negative only on a true-up line",
  }),
  tariff_id: id,
  flags: z.array(billingFlag),
  details: invoiceLineDetails,
});
export const invoice = z.strictObject({
  id,
  apartment_id: id,
  apartment_number: z.string(),
  period: month,
  run_id: id,
  water: money.meta({ description: "the meter and wastewater lines; negative when a true-up credit outweighs them" }),
  maintenance: money.meta({ description: "every other line" }),
  total: money.meta({ description: "the sum of the lines" }),
  billed_at: timestamp,
  status: z.enum(INVOICE_STATUSES).meta({
    description: "draft: the month is not posted and a run may bill it again; posted: the house's month is closed and the invoice final",
  }),
  posted_at: timestamp.nullable().meta({ description: "when the house's month was posted; null for a draft" }),
  out_of_date: z.array(z.enum(OUT_OF_DATE_REASONS)).meta({
    description:
      "a draft whose inputs changed after it was billed, and what changed (reading, apartment, meter, price, normative, service, earlier_month); " +
      "empty when it is up to date (and always for a posted invoice). Billing the month again clears it.",
  }),
  lines: z.array(invoiceLine),
});
export const houseInvoices = z.strictObject({
  house_id: id,
  period: month,
  items: z.array(invoice),
  totals: z.strictObject({ water: money, maintenance: money, total: money }).meta({ description: "the month's sums over the house" }),
});
export const apartmentInvoices = z.strictObject({ apartment_id: id, items: z.array(invoice) });
const invoiceSummary = invoice.omit({ lines: true }).extend({
  flags: z.array(billingFlag).meta({ description: "each flag of the invoice's lines once, in the order of its lines" }),
});
export const houseInvoiceSummaries = houseInvoices.extend({ items: z.array(invoiceSummary) });

// ---- the month of a house ----

export const houseMonth = z.strictObject({
  house_id: id,
  period: month,
  state: z.enum(["not_billed", "draft", "out_of_date", "posted"]).meta({
    description:
      "not_billed: no invoice yet; draft: billed, every invoice up to date; out_of_date: a draft changed under it " +
      "(see out_of_date and unbilled_apartments) — bill the month again; posted: closed, the invoices are final",
  }),
  closed: z
    .boolean()
    .meta({ description: "this month or a later one of the house is posted: no reading, price or normative of it may change" }),
  closed_through: month.nullable().meta({ description: "the house's latest posted month" }),
  posted_at: timestamp.nullable(),
  posted_by: id.nullable().meta({ description: "the person who posted it" }),
  invoices: count,
  run_id: id.nullable().meta({ description: "a run billing the month right now (the house's or its workspace's)" }),
  out_of_date: z
    .array(
      z.strictObject({
        invoice_id: id,
        apartment_id: id,
        apartment_number: z.string(),
        reasons: z.array(z.enum(OUT_OF_DATE_REASONS)).meta({ description: "what changed after it was billed" }),
      }),
    )
    .meta({ description: "the drafts out of date, in apartment order" }),
  unbilled_apartments: z
    .array(z.strictObject({ apartment_id: id, apartment_number: z.string() }))
    .meta({ description: "apartments a run bills that have no invoice for the month (added after the run)" }),
  can_post: z.boolean(),
  post_refused: z
    .strictObject({
      reason: z.enum(Object.keys(ERROR_REASONS) as [ErrorReason, ...ErrorReason[]]),
      message: z.string(),
      params: reasonParams,
    })
    .nullable()
    .meta({
      description: "why POST …/post would be refused now (the same error it would answer); null when it can be posted or is posted",
    }),
  can_reopen: z.boolean().meta({ description: "posted and the house's latest posted month (an owner may reopen it)" }),
  events: z
    .array(
      z.strictObject({
        action: z.enum(MONTH_ACTIONS),
        at: timestamp,
        person_id: id.nullable(),
        phone: z.string().nullable(),
        reason: z.string().nullable().meta({ description: "why it was reopened" }),
      }),
    )
    .meta({ description: "postings and reopenings, oldest first" }),
});

// ---- accounts ----

const phone = z
  .string()
  .regex(/^\+\d{6,15}$/)
  .meta({ description: "E.164" });
export const loginResult = z.strictObject({ detail: z.string(), phone });
export const verifyResult = z.strictObject({
  token: z.string().meta({ description: "the session token: send it as `Authorization: Bearer <token>`" }),
  user: z.strictObject({ id, phone, invite_code: z.string(), workspace_id: id }),
  registered: z.boolean().meta({ description: "true on the first sign-in" }),
});
export const logoutResult = z.strictObject({ detail: z.string() });
export const profile = z.strictObject({
  id,
  phone,
  invite_code: z.string().meta({ description: "give it to a colleague to let them join your workspace" }),
  foreign_invite_code: z.string().nullable().meta({ description: "the colleague's code you activated" }),
  workspace_id: id.meta({ description: "your own workspace" }),
  activated_your_code: z.array(phone).meta({
    description: "the phones of the people who activated your code (whether you admitted them: GET /api/workspaces/{id}/members)",
  }),
});
export const workspaceList = z.strictObject({
  items: z.array(
    z.strictObject({
      id,
      name: z.string(),
      role: z
        .enum(MEMBER_ROLES)
        .meta({ description: "your role; while `status` is not active it grants nothing (a pending request's is viewer)" }),
      status: z.enum(MEMBER_STATUSES).meta({
        description:
          "active: you are a member; pending: you activated the owner's invite code and await their admission; declined: they turned it down",
      }),
      personal: z.boolean(),
      joined_at: timestamp,
    }),
  ),
});
// ---- billing settings (issue 16) ----

export const billingSettings = z.strictObject({
  payment_due_day: z
    .int()
    .min(1)
    .max(28)
    .meta({
      description:
        "a month's bill is due on this day of the next month (a Saturday or Sunday moves to the Monday). Each charge keeps the due " +
        "date fixed when its month was posted: changing this later does not move the due dates of months already posted",
    }),
  reading_window_from: z.int().min(1).max(31).meta({ description: "the first day of the month residents may send readings (issue 18)" }),
  reading_window_to: z.int().min(1).max(31).meta({ description: "the last day of the month (inclusive) residents may send readings" }),
});
const percent = z
  .string()
  .regex(/^\d+\.\d{2}$/)
  .meta({ description: "% a year: an exact decimal as a string, 2 decimal places" });
export const keyRate = z.strictObject({
  valid_from: z.string().meta({ description: 'the day the rate is in force from, "YYYY-MM-DD"' }),
  percent: percent.meta({ description: "the key rate of the Bank of Russia from that day, % a year (2 decimals)" }),
  penalty_percent: percent.meta({
    description:
      "the rate penalties use on that day, % a year: the key rate, capped at 9.5 from 2022-02-28 through 2026-12-31 " +
      "(Постановление Правительства РФ № 474)",
  }),
});
export const keyRateList = z.strictObject({ items: z.array(keyRate).meta({ description: "oldest first" }) });

// ---- the organisation's requisites (issue 17) ----

export const requisites = z.strictObject({
  org_name: z.string().meta({ description: "the organisation's name as the payment document shows it" }),
  inn: z.string().meta({ description: 'ИНН, 10 or 12 digits; "" while not given (so is every field)' }),
  kpp: z.string().meta({ description: "КПП, 9 characters (an organisation's; an entrepreneur has none)" }),
  org_address: z.string(),
  org_phone: z.string(),
  org_email: z.string(),
  org_site: z.string(),
  settlement_account: z.string().meta({ description: "расчётный счёт, 20 digits" }),
  bank_name: z.string(),
  bic: z.string().meta({ description: "БИК, 9 digits" }),
  correspondent_account: z.string().meta({ description: "the bank's корреспондентский счёт, 20 digits" }),
  complete: z.boolean().meta({
    description:
      "whether everything a payment QR code needs is given: org_name, inn, settlement_account, bank_name, bic, correspondent_account, and kpp for a 10-digit INN",
  }),
  missing: z.array(z.enum(REQUISITE_FIELDS)).meta({ description: "the fields of that list not given yet (empty when complete)" }),
});

export const memberList = z.strictObject({
  items: z.array(
    z.strictObject({
      person_id: id,
      phone,
      role: z
        .enum(MEMBER_ROLES)
        .meta({ description: "a pending or declined request's is a placeholder (viewer): the owner picks the role on admission" }),
      status: z.enum(MEMBER_STATUSES).meta({
        description:
          "pending: activated your invite code, awaiting your decision (sees nothing of the workspace); active: a member; declined: you turned them down",
      }),
      personal: z.boolean().meta({ description: "it is this person's own workspace: they stay its owner" }),
      joined_at: timestamp.meta({ description: "when they became a member, or activated the invite code" }),
      decided_at: timestamp
        .nullable()
        .meta({ description: "when they were admitted or declined; null for the founder and for requests awaiting a decision" }),
      decided_by: phone.nullable().meta({ description: "who admitted or declined them" }),
    }),
  ),
});
const apiKeyFields = {
  id,
  name: z.string(),
  workspace_id: id,
  role: z.enum(MEMBER_ROLES).meta({ description: "what the key may do" }),
  key_prefix: z.string().meta({ description: "the key's first characters, to tell keys apart" }),
  created_at: timestamp,
};
export const apiKeyList = z.strictObject({
  items: z.array(z.strictObject({ ...apiKeyFields, created_by: phone.nullable(), last_used_at: timestamp.nullable() })),
});
export const sessionList = z.strictObject({
  items: z.array(
    z.strictObject({
      id,
      device: z.string().nullable().meta({ description: "the User-Agent of the client that signed in (at most 300 characters)" }),
      device_label: z.string().meta({ description: 'a short name read from it: "Chrome on Linux", or "Unknown device"' }),
      created_at: timestamp.meta({ description: "when the person signed in" }),
      last_seen: timestamp.meta({ description: "the last use, renewed at most once an hour" }),
      current: z.boolean().meta({ description: "the session making this request" }),
    }),
  ),
});
export const sessionsEnded = z.strictObject({ ended: count.meta({ description: "how many sessions were ended" }) });
export const apiKeyCreated = z.strictObject({ ...apiKeyFields, key: z.string().meta({ description: "the key itself: shown only here" }) });

// ---- system ----

const check = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ok: z.boolean(), reason: z.string().optional(), ...shape });
export const healthReport = z.strictObject({
  status: z.enum(["ok", "degraded", "down"]).meta({ description: "down: the database is unreachable; degraded: another check failed" }),
  checks: z.strictObject({
    database: check({ latency_ms: z.number().nullable() }),
    migrations: check({ applied: count.nullable(), expected: count }),
    worker: check({ last_heartbeat_at: timestamp.nullable(), age_seconds: z.number().nullable() }),
    queue: check({ queued: count.nullable(), active: count.nullable() }),
  }),
});
export const openApiDocument = z
  .looseObject({ openapi: z.literal("3.1.0"), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) })
  .meta({ description: "an OpenAPI 3.1 document" });

// ---- the types the server's serialisers return and the pages read ----

export type ErrorBody = z.output<typeof errorBody>;
export type Tariff = z.output<typeof tariff>;
export type Service = z.output<typeof service>;
export type ServiceList = z.output<typeof serviceList>;
export type Normative = z.output<typeof normative>;
export type NormativeList = z.output<typeof normativeList>;
export type TariffList = z.output<typeof tariffList>;
export type HouseSummary = z.output<typeof houseSummary>;
export type HousePage = z.output<typeof housePage>;
export type HouseDetail = z.output<typeof houseDetail>;
export type HouseApartment = HouseDetail["apartments"][number];
export type HouseMeter = HouseApartment["meters"][number];
export type Meter = z.output<typeof meter>;
export type Apartment = z.output<typeof apartment>;
export type ReadingSaved = z.output<typeof readingSaved>;
export type ReadingList = z.output<typeof readingList>;
export type BulkReadingsResult = z.output<typeof bulkReadingsResult>;
export type ReadingSheet = z.output<typeof readingSheet>;
export type BillingCheck = z.output<typeof billingCheck>;
export type HouseMonth = z.output<typeof houseMonth>;
export type ReadingSheetItem = ReadingSheet["items"][number];
export type BillingRun = z.output<typeof billingRun>;
export type BillingRunList = z.output<typeof billingRunList>;
export type Invoice = z.output<typeof invoice>;
export type InvoiceLine = Invoice["lines"][number];
export type HouseInvoices = z.output<typeof houseInvoices>;
export type ApartmentInvoices = z.output<typeof apartmentInvoices>;
export type HouseInvoiceSummaries = z.output<typeof houseInvoiceSummaries>;
export type InvoiceSummary = HouseInvoiceSummaries["items"][number];
export type LoginResult = z.output<typeof loginResult>;
export type VerifyResult = z.output<typeof verifyResult>;
export type Profile = z.output<typeof profile>;
export type WorkspaceList = z.output<typeof workspaceList>;
export type MemberList = z.output<typeof memberList>;
export type BillingSettings = z.output<typeof billingSettings>;
export type KeyRate = z.output<typeof keyRate>;
export type Requisites = z.output<typeof requisites>;
export type KeyRateList = z.output<typeof keyRateList>;
export type Member = MemberList["items"][number];
export type ApiKeyList = z.output<typeof apiKeyList>;
export type SessionList = z.output<typeof sessionList>;
export type ApiKeyCreated = z.output<typeof apiKeyCreated>;
export type HealthReport = z.output<typeof healthReport>;

// ---- the portfolio check and the month board (issue 14) ----

const checkCounts = billingCheck.shape.counts;
const checkBlocker = billingCheck.shape.blocking.element;
const checkItem = billingCheck.shape.items.element;
const houseRef = { house_id: id, address: z.string() };

export const portfolioBillingCheck = z.strictObject({
  workspace_id: id,
  period: month,
  ready: z.boolean().meta({ description: "nothing blocks any house's run" }),
  counts: checkCounts
    .extend({ houses: count, houses_blocked: count.meta({ description: "houses whose run something blocks" }) })
    .meta({ description: "the houses' counts added up" }),
  houses: z
    .array(z.strictObject({ ...houseRef, ready: z.boolean(), counts: checkCounts, blocking: z.array(checkBlocker) }))
    .meta({ description: "every house of the workspace, oldest first, with its own counts and blockers" }),
  blocking: z.array(checkBlocker.extend(houseRef)).meta({ description: "every house's blockers, by house" }),
  items: z
    .array(checkItem.extend(houseRef))
    .meta({ description: "the meters and apartments that need a look, by house (oldest first), then in apartment order" }),
});
export type PortfolioBillingCheck = z.output<typeof portfolioBillingCheck>;

const boardCounts = {
  apartments: count,
  meters: count,
  readings: count.meta({ description: "meters with a reading of the month entered (usable or not)" }),
  missing: count.meta({ description: "meters without a reading of the month: the readings sheet's ?filter=missing shows them" }),
  percent: z.int().min(0).max(100).meta({ description: "readings of meters, in per cent rounded down (100 when there is no meter)" }),
  estimated_average: count.meta({ description: "meters a run would estimate by their average" }),
  estimated_normative: count.meta({ description: "meters a run would estimate by the normative" }),
  verification_expired: count.meta({ description: "meters past their verification: their reading does not count" }),
  invoices: count.meta({ description: "invoices of the month, draft or posted" }),
  apartments_without_invoice: count,
  out_of_date: count.meta({ description: "draft invoices whose inputs changed since they were billed" }),
};

const monthBoardHouse = z.strictObject({
  ...houseRef,
  state: z.enum(BOARD_STATES).meta({ description: "the house's state in the month (lib/constants.ts BOARD_STATES)" }),
  ...boardCounts,
  blocking: z.array(checkBlocker).meta({ description: "what fails a run of the month before any invoice" }),
  closed: z.boolean().meta({ description: "the month is closed: posted, or a later month is" }),
  posted_at: timestamp.nullable().meta({ description: "when this month was posted" }),
});

export const monthBoard = z.strictObject({
  workspace_id: id,
  period: month,
  totals: z
    .strictObject({
      houses: count,
      ...boardCounts,
      states: z.strictObject(Object.fromEntries(BOARD_STATES.map((s) => [s, count])) as Record<BoardState, typeof count>),
    })
    .meta({ description: "the workspace's houses added up, and how many houses are in each state" }),
  houses: z.array(monthBoardHouse).meta({ description: "every house of the workspace, oldest first" }),
});
export type MonthBoard = z.output<typeof monthBoard>;
export type MonthBoardHouse = z.output<typeof monthBoardHouse>;

// ---- the history (issue 15) ----

const historyValues = z.record(z.string(), z.unknown()).nullable().meta({
  description:
    "the row's columns as stored (snake_case); numeric columns (area, value, price, totals) as exact decimal strings; null before an insert and after a delete",
});

const historyEntry = z.strictObject({
  id: z.int().min(1).meta({ description: "the entry's id; entries are listed by it, newest first" }),
  at: timestamp,
  who: z
    .strictObject({
      kind: z.enum(["person", "api_key", "system"]).meta({
        description: "person: a signed-in person; api_key: an integration's key; system: outside the API (seed, scripts, migrations)",
      }),
      person_id: id.nullable(),
      phone: z.string().nullable().meta({ description: "the person's phone, as it is now" }),
      api_key_id: id.nullable(),
      api_key_name: z.string().nullable().meta({ description: "the key's name; null once the key is deleted" }),
    })
    .meta({ description: "who made the change" }),
  operation: z.string().nullable().meta({ description: "the API operation (operationId) that made it" }),
  request_id: z.string().nullable().meta({ description: "the request's id (X-Request-Id): one request's entries share it" }),
  entity: z.enum(HISTORY_ENTITIES).meta({ description: "what kind of thing changed" }),
  entity_id: z.string().meta({
    description:
      'its id; a member: the person\'s id; a service switched off for a house: "service_id:house_id"; a month: "house_id:YYYY-MM"',
  }),
  action: z.enum(HISTORY_ACTIONS),
  house_id: id.nullable(),
  apartment_id: id.nullable(),
  before: historyValues,
  after: historyValues,
  changes: z.array(z.string()).meta({ description: "an update's fields whose value differs between before and after; empty otherwise" }),
});
export type HistoryEntry = z.output<typeof historyEntry>;

export const historyPage = z.strictObject({
  items: z.array(historyEntry).meta({ description: "newest first" }),
  next_before: z.int().min(1).nullable().meta({ description: "pass as `before` for the next (older) page; null on the last page" }),
});
export type HistoryPage = z.output<typeof historyPage>;
