// The domain's enumerations, in one pure module (no imports) that the database schema, the
// server, the API contract and the browser all read, so that a value is spelled once.

/** What a meter measures. */
export const METER_SERVICES = ["cold_water", "hot_water"] as const;
export type MeterService = (typeof METER_SERVICES)[number];

/**
 * What a service's quantity on an invoice line is made of (a line's `kind`):
 * - meter: the volumes of the apartment's meters of this service (the service's code is the
 *   meters' service, cold_water or hot_water), m³;
 * - water_sum: the apartment's cold + hot water volumes of the month as billed (wastewater), m³;
 * - area: the apartment's floor area, m²;
 * - residents: the persons registered in the apartment;
 * - apartment: a fixed fee, one per apartment.
 */
export const SERVICE_BASES = ["meter", "water_sum", "area", "residents", "apartment"] as const;
export type ServiceBasis = (typeof SERVICE_BASES)[number];

/** The unit a service is billed in: m³ of water, m² of floor area, a registered person, an apartment. */
export const UNITS = ["m3", "m2", "person", "apartment"] as const;
export type Unit = (typeof UNITS)[number];
export const BASIS_UNIT: Record<ServiceBasis, Unit> = {
  meter: "m3",
  water_sum: "m3",
  area: "m2",
  residents: "person",
  apartment: "apartment",
};

/**
 * The services every workspace starts with. Workspaces that existed before the catalogue keep
 * exactly cold water, hot water and maintenance active (wastewater is there, inactive); a new
 * workspace has all four active.
 */
export const SEEDED_SERVICES = [
  { code: "cold_water", nameRu: "Холодная вода", nameEn: "Cold water", basis: "meter" },
  { code: "hot_water", nameRu: "Горячая вода", nameEn: "Hot water", basis: "meter" },
  { code: "wastewater", nameRu: "Водоотведение", nameEn: "Wastewater", basis: "water_sum" },
  { code: "maintenance", nameRu: "Содержание жилья", nameEn: "Maintenance", basis: "area" },
] as const satisfies readonly { code: string; nameRu: string; nameEn: string; basis: ServiceBasis }[];

/** A service's code: lower-case Latin letters, digits and underscores, a letter first. */
export const SERVICE_CODE_PATTERN = /^[a-z][a-z0-9_]{1,31}$/;

/**
 * How a meter's volume of a month was obtained (meter_volume.kind, and `kind` of a line's meter):
 * - actual: this month's reading − the last basis reading (L), nothing estimated in between;
 * - true_up: the same, less the volumes estimated for the months in between (may be negative);
 * - baseline: the first usable reading, 0 (no_previous_reading);
 * - negative: lower than the basis reading, 0 (negative_consumption);
 * - average / normative: estimated, no usable reading this month;
 * - none: billed 0 without a reading by an earlier version (no_current_reading).
 * actual, true_up and baseline were billed on an actual reading: the latest of them is the next
 * months' basis (a lower reading sets none).
 */
export const METER_VOLUME_KINDS = ["actual", "true_up", "baseline", "negative", "average", "normative", "none"] as const;

/**
 * Why a meter's volume on an invoice line needs a look, or how it was obtained (stored per meter
 * and per line). `no_current_reading` is only on invoices billed before estimates existed.
 */
export const BILLING_FLAGS = [
  "no_previous_reading",
  "negative_consumption",
  "estimated_average",
  "estimated_normative",
  "verification_expired",
  "true_up",
  "no_current_reading",
] as const;
export type BillingFlag = (typeof BILLING_FLAGS)[number];

/** A billing run's life: queued → running → completed | failed. */
/**
 * Why the check before billing lists a meter or an apartment (lib/billing/billing-check.ts):
 * no reading this month, verification expired (the reading is not usable) or ending within the
 * two months after, a suspicious reading (lib/readings/suspicious.ts), an estimate by the
 * normative with no normative in force, an apartment without meters.
 */
export const CHECK_PROBLEMS = [
  "no_reading",
  "verification_expired",
  "verification_expiring",
  "suspicious",
  "no_normative",
  "no_meters",
] as const;
export type CheckProblem = (typeof CHECK_PROBLEMS)[number];
/** What stops a run before any invoice: a billed service without a price, an estimate without a normative. */
export const CHECK_BLOCKERS = ["missing_price", "missing_normative"] as const;

/**
 * Why a draft invoice is out of date: something it was billed from changed afterwards
 * (drizzle/0014_month-guards.sql marks them in the same transaction as the change):
 * - reading: a reading it used, or one that would now be used (its month, or after the
 *   reading its volume was counted from, or inside the window of its average);
 * - apartment: the apartment's area or people registered;
 * - meter: a meter of the apartment added, changed or removed;
 * - price / normative: a price or normative in force in its month (or a normative it estimated by);
 * - service: a billed service's basis, its being billed, or its being switched off for the house;
 * - earlier_month: an earlier month of the apartment was billed again, and this one's volume
 *   is counted from a reading before it (a true-up of that month's estimate, or estimates in a row).
 */
export const OUT_OF_DATE_REASONS = ["reading", "apartment", "meter", "price", "normative", "service", "earlier_month"] as const;
export type OutOfDateReason = (typeof OUT_OF_DATE_REASONS)[number];
/** An invoice is a draft until its house's month is posted. */
export const INVOICE_STATUSES = ["draft", "posted"] as const;

/** What happened to a house's month: posted (closed), or reopened by the workspace's owner with a reason. */
// ---- the apartment's account (issue 16) ----

/** What an entry of an apartment's account is (db/schema.ts ledger_entry). */
export const LEDGER_KINDS = ["opening", "charge", "payment", "penalty", "reversal"] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
/** Where a payment came from. */
export const PAYMENT_SOURCES = ["manual", "import", "api"] as const;
export type PaymentSource = (typeof PAYMENT_SOURCES)[number];

/**
 * A payment import (db/schema.ts payment_import): uploaded (file read, columns detected) →
 * parsing (a big file's rows are checked by a job) → previewed (every row has its status) →
 * committed (the ok rows are payments); failed (the rows could not be checked) or discarded.
 */
export const PAYMENT_IMPORT_STATUSES = ["uploaded", "parsing", "previewed", "committed", "failed", "discarded"] as const;
export type PaymentImportStatus = (typeof PAYMENT_IMPORT_STATUSES)[number];
/** A row of an import: ok (will be a payment), error (a reason), duplicate (already paid, or repeated in the file). */
export const PAYMENT_IMPORT_ROW_STATUSES = ["ok", "error", "duplicate"] as const;
export type PaymentImportRowStatus = (typeof PAYMENT_IMPORT_ROW_STATUSES)[number];
/** The columns of a payment registry an import maps; the first three are required. */
export const PAYMENT_IMPORT_FIELDS = ["account_number", "paid_on", "amount", "external_id", "payer", "period"] as const;
export type PaymentImportField = (typeof PAYMENT_IMPORT_FIELDS)[number];
/**
 * Why a row of an import is not imported (with params for the pages' texts):
 * - columns_missing: the line has fewer columns than the mapping uses { columns, needed };
 * - value_missing: a required column is empty { column };
 * - account_unknown: no apartment of the workspace has the account number { account };
 * - date_invalid / date_in_future: the payment date { value };
 * - amount_invalid: not a number, more than 2 decimals, or too large { value };
 * - amount_not_positive: zero or negative { value };
 * - period_invalid: the month it pays is not MM.YYYY, YYYY-MM or MMYYYY { value };
 * - external_id_too_long: longer than 100 characters { max };
 * - already_imported (duplicate): a payment with this external id is in the workspace's accounts { external_id };
 * - repeated_in_file (duplicate): an earlier line of the file has this external id { line, external_id }.
 */
export const PAYMENT_IMPORT_ROW_REASONS = [
  "columns_missing",
  "value_missing",
  "account_unknown",
  "date_invalid",
  "date_in_future",
  "amount_invalid",
  "amount_not_positive",
  "period_invalid",
  "external_id_too_long",
  "already_imported",
  "repeated_in_file",
] as const;
export type PaymentImportRowReason = (typeof PAYMENT_IMPORT_ROW_REASONS)[number];

// ---- the organisation's requisites (issue 17) ----

/** The requisites a payment document needs, in the order the page and the API list them. */
export const REQUISITE_FIELDS = [
  "org_name",
  "inn",
  "kpp",
  "org_address",
  "org_phone",
  "org_email",
  "org_site",
  "settlement_account",
  "bank_name",
  "bic",
  "correspondent_account",
] as const;
export type RequisiteField = (typeof REQUISITE_FIELDS)[number];

// ---- readings from everywhere (issue 18) ----

/**
 * Where a reading came from (meter_reading.source): typed by a member of the workspace in the
 * pages (or with their session's token), sent by a resident from /my, imported from a file, or
 * written with an API key. Readings from before issue 18 are `manager`.
 */
export const READING_SOURCES = ["manager", "resident", "import", "api"] as const;
export type ReadingSource = (typeof READING_SOURCES)[number];

/** Who a resident of an apartment is (apartment_resident.kind). */
export const RESIDENT_KINDS = ["owner", "tenant"] as const;
export type ResidentKind = (typeof RESIDENT_KINDS)[number];

/** The days of the month residents may send readings, when the workspace has not set its own. */
export const DEFAULT_READING_WINDOW = { from: 15, to: 25 } as const;

/** A readings import (reading_import) goes through the same steps as a payment import (above). */
export const READING_IMPORT_STATUSES = ["uploaded", "parsing", "previewed", "committed", "failed", "discarded"] as const;
export type ReadingImportStatus = (typeof READING_IMPORT_STATUSES)[number];
/** A row of a readings import: ok (will be imported), warning (will be imported, with a reason), error (will not). */
export const READING_IMPORT_ROW_STATUSES = ["ok", "warning", "error"] as const;
export type ReadingImportRowStatus = (typeof READING_IMPORT_ROW_STATUSES)[number];
/**
 * The columns of a readings file an import maps: the value, and the meter by its serial number,
 * or by the apartment (its account number, or its number in the house chosen for the import)
 * and the service; the month, or the month chosen on upload.
 */
export const READING_IMPORT_FIELDS = ["serial_number", "account_number", "apartment_number", "service", "value", "period"] as const;
export type ReadingImportField = (typeof READING_IMPORT_FIELDS)[number];
/**
 * Why a row of a readings import is not imported, or what to look at (with params for the pages' texts):
 * - columns_missing: the line has fewer columns than the mapping uses { columns, needed };
 * - value_missing: the value, the meter's serial, account or apartment number, or service is empty { column };
 * - value_invalid: the value is not a number { value };
 * - value_too_precise: more than 3 decimals { value };
 * - value_out_of_range: negative, or 1,000,000,000 or more { value };
 * - period_invalid: the month is not MM.YYYY, YYYY-MM or MMYYYY { value };
 * - period_missing: no month in the row and none chosen on upload;
 * - period_in_future: the month is after the current one { period, current };
 * - service_unknown: the service is not cold or hot water { value };
 * - meter_unknown: no meter of the workspace has the serial number, or the apartment has no
 *   meter of the service { serial_number } or { apartment, service };
 * - apartment_unknown: no apartment has the account number (or the number in the house) { apartment };
 * - meter_ambiguous: the apartment has more than one meter of the service { apartment, service, count };
 * - month_closed: the meter's house has posted the month { period };
 * - repeated_in_file: an earlier line sets the same meter's reading of the same month { line };
 * - reading_below_previous: lower than the meter's reading before { value, previous, period };
 * - reading_above_next: higher than the meter's reading after { value, next, period };
 * - suspicious_jump (warning): the use is far above the meter's usual one, as the billing check
 *   has it (lib/readings/suspicious.ts) { use, expected };
 * - suspicious_zero (warning): the third month in a row with no use { months }.
 */
export const READING_IMPORT_ROW_REASONS = [
  "columns_missing",
  "value_missing",
  "value_invalid",
  "value_too_precise",
  "value_out_of_range",
  "period_invalid",
  "period_missing",
  "period_in_future",
  "service_unknown",
  "meter_unknown",
  "apartment_unknown",
  "meter_ambiguous",
  "month_closed",
  "repeated_in_file",
  "reading_below_previous",
  "reading_above_next",
  "suspicious_jump",
  "suspicious_zero",
] as const;
export type ReadingImportRowReason = (typeof READING_IMPORT_ROW_REASONS)[number];

export const MONTH_ACTIONS = ["post", "reopen"] as const;
export type MonthAction = (typeof MONTH_ACTIONS)[number];

export const RUN_STATUSES = ["queued", "running", "completed", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses of a run that still holds its month (at most one per house, or portfolio, and month). */
/** A house's batch of payment documents (receipt_batch): made in the background, then downloadable. */
export const RECEIPT_BATCH_STATUSES = ["queued", "running", "done", "failed"] as const;
export type ReceiptBatchStatus = (typeof RECEIPT_BATCH_STATUSES)[number];

export const ACTIVE_RUN_STATUSES = ["queued", "running"] as const satisfies readonly RunStatus[];

/**
 * Why a run failed, for the pages to say in their language (the run's `error` says it in
 * English): with error_params, e.g. { month, service, house_id, address, more } for a missing price.
 */
export const RUN_FAILURE_REASONS = [
  /** a service the month needs has no price in force: no invoice was written */
  "missing_price",
  /** a meter is estimated by the normative, people are registered, and no normative is in force: no invoice was written */
  "missing_normative",
  /** a line found no fixed price or normative while billing (a safety net): the month must be run again */
  "unpriced_lines",
  /** the data cannot be billed (an amount too large to store, say): { detail } */
  "data_error",
  /** the run's background job is gone */
  "job_gone",
  /** its jobs gave up: { stage: planning | part, attempts, last: expired | too_long | stopped | error, job_id } */
  "job_failed",
] as const;
export type RunFailureReason = (typeof RUN_FAILURE_REASONS)[number];

/**
 * A person's (or an API key's) role in a workspace, from most to least allowed (issue 15):
 * owner: everything; accountant: the register, readings, prices, billing, posting (not members,
 * keys or reopening); operator: reads the register and enters readings; viewer: reads, changes
 * nothing. What each operation allows is in its definition (lib/api/operations/*.ts).
 */
export const MEMBER_ROLES = ["owner", "accountant", "operator", "viewer"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * A membership's state: an invite code activated makes a `pending` one, which the workspace's
 * owner admits (`active`, with a role) or declines (`declined`, kept so the code cannot be
 * tried again). Only `active` memberships open the workspace.
 */
export const MEMBER_STATUSES = ["pending", "active", "declined"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** What a history entry records: a row inserted, changed or deleted. */
export const HISTORY_ACTIONS = ["insert", "update", "delete"] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** The kinds of things the history records, as the entries name them (drizzle/0015_roles-history.sql). */
export const HISTORY_ENTITIES = [
  "workspace",
  "member",
  "api_key",
  "house",
  "apartment",
  "meter",
  "reading",
  "service",
  "service_house_off",
  "tariff",
  "normative",
  "billing_run",
  "month",
  "ledger",
  "key_rate",
  "payment_import",
  "receipt_batch",
  "resident",
  "reading_import",
] as const;
export type HistoryEntity = (typeof HISTORY_ENTITIES)[number];

/** Where a tariff or a normative applies: one house, or the whole workspace (the default). */
export const TARIFF_SCOPES = ["house", "workspace"] as const;

// ---- the month board (issue 14) ----

/**
 * A house's state in a month on the month board (lib/billing/month-board.ts): the first of these
 * that holds, in this order of precedence, each with the page that moves it forward:
 * - posted: the month is closed (it was posted, or a later month was): its invoices are final
 *   (the billing page shows them);
 * - blocked: a run of the month would fail before any invoice: a billed service without a price,
 *   or an estimate by the normative without one (the tariffs and normatives page);
 * - out_of_date: billed as a draft, and a draft is out of date (what it was billed from changed
 *   since) or an apartment has no invoice of the month: bill it again (the billing page);
 * - draft: billed as a draft and up to date: review it, then post it (the billing page);
 * - collecting: not billed yet, and some meters have no reading of the month: the run would
 *   estimate them (the readings sheet, showing those meters);
 * - ready: not billed yet, every meter read (or none to read) and nothing blocks (the billing page).
 * Listed in the order a month goes through them.
 */
export const BOARD_STATES = ["collecting", "blocked", "ready", "draft", "out_of_date", "posted"] as const;
export type BoardState = (typeof BOARD_STATES)[number];
