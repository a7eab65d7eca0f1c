// The domain's enumerations, in one pure module (no imports) that the database schema, the
// server, the API contract and the browser all read, so that a value is spelled once.

/** What a meter measures. */
export const METER_SERVICES = ["cold_water", "hot_water"] as const;
export type MeterService = (typeof METER_SERVICES)[number];

/** What a tariff prices and an invoice line bills. */
export const TARIFF_SERVICES = ["cold_water", "hot_water", "maintenance"] as const;
export type TariffService = (typeof TARIFF_SERVICES)[number];

/** The unit a service is billed in: m³ of water, m² of floor area. */
export const UNITS = ["m3", "m2"] as const;
export type Unit = (typeof UNITS)[number];
export const SERVICE_UNIT: Record<TariffService, Unit> = { cold_water: "m3", hot_water: "m3", maintenance: "m2" };

/** Why a meter's consumption on an invoice line needs a look (stored per meter and per line). */
export const BILLING_FLAGS = ["no_previous_reading", "no_current_reading", "negative_consumption"] as const;
export type BillingFlag = (typeof BILLING_FLAGS)[number];

/** A billing run's life: queued → running → completed | failed. */
export const RUN_STATUSES = ["queued", "running", "completed", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses of a run that still holds its month (at most one per house, or portfolio, and month). */
export const ACTIVE_RUN_STATUSES = ["queued", "running"] as const satisfies readonly RunStatus[];

/**
 * Why a run failed, for the pages to say in their language (the run's `error` says it in
 * English): with error_params, e.g. { month, service, house_id, address, more } for a missing price.
 */
export const RUN_FAILURE_REASONS = [
  /** a service the month needs has no price in force: no invoice was written */
  "missing_price",
  /** a line found no fixed price while billing (a safety net): the month must be run again */
  "unpriced_lines",
  /** the data cannot be billed (an amount too large to store, say): { detail } */
  "data_error",
  /** the run's background job is gone */
  "job_gone",
  /** its jobs gave up: { stage: planning | part, attempts, last: expired | too_long | stopped | error, job_id } */
  "job_failed",
] as const;
export type RunFailureReason = (typeof RUN_FAILURE_REASONS)[number];

/** A person's role in a workspace. */
export const MEMBER_ROLES = ["owner", "member"] as const;

/** Where a tariff applies: one house, or the whole workspace (the default). */
export const TARIFF_SCOPES = ["house", "workspace"] as const;
