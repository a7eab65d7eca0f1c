import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  jsonb,
  bigint,
  serial,
  smallint,
  type AnyPgColumn,
  text,
  timestamp,
  unique,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
// The two modules below are pure (enumerations and the zod shapes of JSON columns): the one
// exception to "db/ imports nothing above it", so that every layer spells a value once.
import {
  MEMBER_ROLES,
  MEMBER_STATUSES,
  HISTORY_ACTIONS,
  LEDGER_KINDS,
  type PaymentSource,
  DEFAULT_READING_WINDOW,
  RESIDENT_KINDS,
  type ReadingSource,
  type ResidentKind,
  METER_SERVICES,
  METER_VOLUME_KINDS,
  RUN_STATUSES,
  SERVICE_BASES,
  type BillingFlag,
  type MonthAction,
  type OutOfDateReason,
  type ReceiptBatchStatus,
  type RunFailureReason,
} from "../lib/constants";
import type { AppliedNormative, FlagCounts, InvoiceLineDetails } from "../lib/schemas/stored";

export const billingRunStatus = pgEnum("billing_run_status", RUN_STATUSES);
export const memberRole = pgEnum("member_role", MEMBER_ROLES);
export const memberStatus = pgEnum("member_status", MEMBER_STATUSES);
export const historyAction = pgEnum("history_action", HISTORY_ACTIONS);
export const meterService = pgEnum("meter_service", METER_SERVICES);
export const serviceBasis = pgEnum("service_basis", SERVICE_BASES);
export const meterVolumeKind = pgEnum("meter_volume_kind", METER_VOLUME_KINDS);
export const ledgerKind = pgEnum("ledger_kind", LEDGER_KINDS);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** A management company's space; every house belongs to exactly one. */
export const workspace = pgTable(
  "workspace",
  {
    id: serial("id").primaryKey(),
    // Stable handle for workspaces the system itself creates ("default").
    slug: varchar("slug", { length: 64 }).unique(),
    name: text("name").notNull(),
    // ЖК РФ ст. 155 ч. 1: a month's bill is due by this day of the next month (1–28; the law's
    // default, the 15th from March 2026). Each charge keeps its own due date (ledger_entry.due_date).
    paymentDueDay: smallint("payment_due_day").notNull().default(15),
    // the columns of the bank's payment registries, as last mapped (lib/ledger/import-mapping)
    paymentImportMapping: jsonb("payment_import_mapping"),
    // The requisites of the organisation that bills (lib/receipts/requisites.ts checks the check
    // digits): printed on every payment document and put into its QR code. '' while not given.
    orgName: varchar("org_name", { length: 300 }).notNull().default(""),
    inn: varchar("inn", { length: 12 }).notNull().default(""),
    kpp: varchar("kpp", { length: 9 }).notNull().default(""),
    orgAddress: varchar("org_address", { length: 500 }).notNull().default(""),
    orgPhone: varchar("org_phone", { length: 40 }).notNull().default(""),
    orgEmail: varchar("org_email", { length: 254 }).notNull().default(""),
    orgSite: varchar("org_site", { length: 200 }).notNull().default(""),
    settlementAccount: varchar("settlement_account", { length: 20 }).notNull().default(""),
    bankName: varchar("bank_name", { length: 300 }).notNull().default(""),
    bic: varchar("bic", { length: 9 }).notNull().default(""),
    correspondentAccount: varchar("correspondent_account", { length: 20 }).notNull().default(""),
    // the days of the month (inclusive) residents may send readings from /my; a member's own
    // entry is never limited by them
    readingWindowFrom: smallint("reading_window_from").notNull().default(DEFAULT_READING_WINDOW.from),
    readingWindowTo: smallint("reading_window_to").notNull().default(DEFAULT_READING_WINDOW.to),
    // the columns of a readings file, as last mapped (lib/reading-import)
    readingImportMapping: jsonb("reading_import_mapping"),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      "workspace_reading_window",
      sql`1 <= ${t.readingWindowFrom} and ${t.readingWindowFrom} <= ${t.readingWindowTo} and ${t.readingWindowTo} <= 31`,
    ),
    check("workspace_payment_due_day_range", sql`${t.paymentDueDay} BETWEEN 1 AND 28`),
    check("workspace_inn_format", sql`${t.inn} ~ '^([0-9]{10}|[0-9]{12})?$'`),
    check("workspace_kpp_format", sql`${t.kpp} ~ '^([0-9]{4}[0-9A-Z]{2}[0-9]{3})?$'`),
    check("workspace_settlement_account_format", sql`${t.settlementAccount} ~ '^([0-9]{20})?$'`),
    check("workspace_bic_format", sql`${t.bic} ~ '^([0-9]{9})?$'`),
    check("workspace_correspondent_account_format", sql`${t.correspondentAccount} ~ '^([0-9]{20})?$'`),
  ],
);

export const house = pgTable(
  "house",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    address: varchar("address", { length: 300 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("house_workspace_address_unique").on(t.workspaceId, t.address),
    check("house_address_not_blank", sql`length(btrim(${t.address})) > 0`),
  ],
);

export const apartment = pgTable(
  "apartment",
  {
    id: serial("id").primaryKey(),
    houseId: integer("house_id")
      .notNull()
      .references(() => house.id, { onDelete: "cascade" }),
    number: varchar("number", { length: 20 }).notNull(),
    // m², 2 decimals
    area: numeric("area", { precision: 7, scale: 2 }).notNull(),
    // persons registered in the apartment (residents-based services, normatives)
    residents: integer("residents").notNull().default(0),
    // the apartment's account (лицевой счёт) number, unique in its workspace (a trigger checks:
    // the apartment row does not carry its workspace); a new apartment gets its id, zero-padded
    accountNumber: varchar("account_number", { length: 20 }).notNull().default(""),
    // the owner (or tenant) the payment document is addressed to: «Фамилия Имя Отчество»; '' unknown
    ownerName: varchar("owner_name", { length: 300 }).notNull().default(""),
    // Set when the apartment is archived: gone from the lists and from later runs, its invoices
    // and readings kept (an apartment with invoices cannot be deleted).
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    unique("apartment_house_number_unique").on(t.houseId, t.number),
    index("apartment_account_number_idx").on(t.accountNumber),
    check("apartment_area_range", sql`${t.area} > 0 AND ${t.area} <= 10000`),
    check("apartment_residents_range", sql`${t.residents} >= 0 AND ${t.residents} <= 999`),
  ],
);

export const meter = pgTable(
  "meter",
  {
    id: serial("id").primaryKey(),
    apartmentId: integer("apartment_id")
      .notNull()
      .references(() => apartment.id, { onDelete: "cascade" }),
    // Copied from the apartment's house so that serial numbers can be unique per workspace.
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    serialNumber: varchar("serial_number", { length: 64 }).notNull(),
    service: meterService("service").notNull(),
    installedOn: date("installed_on", { mode: "string" }),
    // the last day of its verification interval; null: not recorded (taken as valid)
    verifiedUntil: date("verified_until", { mode: "string" }),
    createdAt: createdAt(),
  },
  (t) => [unique("meter_workspace_serial_unique").on(t.workspaceId, t.serialNumber), index("meter_apartment_idx").on(t.apartmentId)],
);

export const meterReading = pgTable(
  "meter_reading",
  {
    id: serial("id").primaryKey(),
    meterId: integer("meter_id")
      .notNull()
      .references(() => meter.id, { onDelete: "cascade" }),
    // first day of the calendar month
    period: date("period", { mode: "string" }).notNull(),
    // m³, 3 decimals
    value: numeric("value", { precision: 12, scale: 3 }).notNull(),
    // where the value came from and who sent it (lib/constants.ts READING_SOURCES): the person
    // (a member, or a resident) or the API key; an imported one also names its import
    source: varchar("source", { length: 16 }).notNull().default("manager").$type<ReadingSource>(),
    sentByPersonId: integer("sent_by_person_id").references((): AnyPgColumn => person.id, { onDelete: "set null" }),
    sentByApiKeyId: integer("sent_by_api_key_id").references((): AnyPgColumn => apiKey.id, { onDelete: "set null" }),
    importId: integer("import_id").references((): AnyPgColumn => readingImport.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("meter_reading_source", sql`${t.source} in ('manager', 'resident', 'import', 'api')`),
    unique("meter_reading_meter_period_unique").on(t.meterId, t.period),
    check("meter_reading_period_month", sql`extract(day from ${t.period}) = 1`),
    check("meter_reading_value_range", sql`${t.value} >= 0 AND ${t.value} < 1000000000`),
  ],
);

/**
 * What a workspace bills for. The basis says what a line's quantity is made of (lib/constants.ts
 * SERVICE_BASES); a meter service's code is the service of the meters it bills.
 */
export const service = pgTable(
  "service",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    // stable, for integrations and the CSV: never changes once created
    code: varchar("code", { length: 32 }).notNull(),
    nameRu: varchar("name_ru", { length: 100 }).notNull(),
    nameEn: varchar("name_en", { length: 100 }).notNull(),
    basis: serviceBasis("basis").notNull(),
    // billed for the workspace's houses (less those it is switched off for)
    active: boolean("active").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    unique("service_workspace_code_unique").on(t.workspaceId, t.code),
    check("service_code_format", sql`${t.code} ~ '^[a-z][a-z0-9_]{1,31}$'`),
    check("service_meter_code", sql`${t.basis} <> 'meter' or ${t.code} in ('cold_water', 'hot_water')`),
    check("service_names_not_blank", sql`length(btrim(${t.nameRu})) > 0 and length(btrim(${t.nameEn})) > 0`),
  ],
);

/** A service switched off for one house: that house is not billed for it. */
export const serviceHouseOff = pgTable(
  "service_house_off",
  {
    serviceId: integer("service_id")
      .notNull()
      .references(() => service.id, { onDelete: "cascade" }),
    houseId: integer("house_id")
      .notNull()
      .references(() => house.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.houseId] }), index("service_house_off_house_idx").on(t.houseId)],
);

export const tariff = pgTable(
  "tariff",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    // null: the workspace-wide default; set: a price for that house only
    houseId: integer("house_id").references(() => house.id, { onDelete: "cascade" }),
    serviceId: integer("service_id")
      .notNull()
      .references(() => service.id, { onDelete: "cascade" }),
    // roubles per unit of the service (m³, m², person, apartment), 4 decimals
    price: numeric("price", { precision: 14, scale: 4 }).notNull(),
    // first day of the month from which the price applies
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("tariff_scope_service_month_unique").on(t.workspaceId, t.houseId, t.serviceId, t.validFrom).nullsNotDistinct(),
    check("tariff_price_positive", sql`${t.price} > 0`),
    check("tariff_valid_from_month", sql`extract(day from ${t.validFrom}) = 1`),
  ],
);

/**
 * How many m³ of a metered service one registered person is taken to use in a month, for a
 * meter estimated by the normative (Правила № 354, п. 42, 60): workspace-wide or for one house,
 * in force from valid_from like a tariff.
 */
export const normative = pgTable(
  "normative",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    houseId: integer("house_id").references(() => house.id, { onDelete: "cascade" }),
    service: meterService("service").notNull(),
    // m³ per person per month, 4 decimals
    value: numeric("value", { precision: 10, scale: 4 }).notNull(),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("normative_scope_service_month_unique").on(t.workspaceId, t.houseId, t.service, t.validFrom).nullsNotDistinct(),
    check("normative_value_positive", sql`${t.value} > 0`),
    check("normative_valid_from_month", sql`extract(day from ${t.validFrom}) = 1`),
  ],
);

// ---- billing ----

/**
 * A monthly billing run of one house (house_id set) or of a whole workspace (house_id null).
 * Its progress and totals are committed with every chunk, so they are readable while it runs.
 */
export const billingRun = pgTable(
  "billing_run",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    houseId: integer("house_id").references(() => house.id, { onDelete: "cascade" }),
    // first day of the billed month
    period: date("period", { mode: "string" }).notNull(),
    status: billingRunStatus("status").notNull().default("queued"),
    // apartments as they stood when the run was requested: count and highest id
    total: integer("total").notNull(),
    apartmentIdBound: integer("apartment_id_bound").notNull(),
    // meters as they stood when the run started (set when it is planned): a meter installed
    // mid-run waits for the next run instead of meeting a price check it never had
    meterIdBound: integer("meter_id_bound").notNull().default(0),
    processed: integer("processed").notNull().default(0),
    invoices: integer("invoices").notNull().default(0),
    water: numeric("water", { precision: 16, scale: 2 }).notNull().default("0"),
    maintenance: numeric("maintenance", { precision: 16, scale: 2 }).notNull().default("0"),
    totalAmount: numeric("total_amount", { precision: 16, scale: 2 }).notNull().default("0"),
    // flag → how many meters carried it
    flags: jsonb("flags").$type<FlagCounts>().notNull().default({}),
    // in English, for integrators and the log; the pages say error_reason with its params
    error: text("error"),
    errorReason: text("error_reason").$type<RunFailureReason>(),
    errorParams: jsonb("error_params").$type<Record<string, string | number>>(),
    createdById: integer("created_by_id"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    // At most one queued or running run per house and month, and per workspace portfolio and month.
    uniqueIndex("billing_run_active_house")
      .on(t.houseId, t.period)
      .where(sql`${t.status} in ('queued', 'running') and ${t.houseId} is not null`),
    uniqueIndex("billing_run_active_portfolio")
      .on(t.workspaceId, t.period)
      .where(sql`${t.status} in ('queued', 'running') and ${t.houseId} is null`),
    index("billing_run_house_idx").on(t.houseId, t.createdAt),
    check("billing_run_period_month", sql`extract(day from ${t.period}) = 1`),
    check("billing_run_progress", sql`${t.processed} >= 0 and ${t.processed} <= ${t.total}`),
  ],
);

/** A slice of a run's apartments (by id range) that one worker job bills, chunk by chunk. */
export const billingRunPart = pgTable(
  "billing_run_part",
  {
    id: serial("id").primaryKey(),
    runId: integer("run_id")
      .notNull()
      .references(() => billingRun.id, { onDelete: "cascade" }),
    // apartments with firstApartmentId <= id <= lastApartmentId (within the run's scope)
    firstApartmentId: integer("first_apartment_id").notNull(),
    lastApartmentId: integer("last_apartment_id").notNull(),
    // the last apartment id billed; the next chunk starts after it
    cursor: integer("cursor").notNull(),
    total: integer("total").notNull(),
    processed: integer("processed").notNull().default(0),
    done: integer("done").notNull().default(0),
    // The worker billing the part (worker_heartbeat.worker_id) and until when: its heartbeat
    // renews the lease while it bills; once the lease has run out, a live worker resumes the part.
    leasedBy: text("leased_by"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
  },
  (t) => [index("billing_run_part_run_idx").on(t.runId)],
);

/** The prices a run bills with, fixed when it starts: every chunk uses the same ones. */
export const billingRunPrice = pgTable(
  "billing_run_price",
  {
    runId: integer("run_id")
      .notNull()
      .references(() => billingRun.id, { onDelete: "cascade" }),
    houseId: integer("house_id").notNull(),
    serviceId: integer("service_id").notNull(),
    tariffId: integer("tariff_id").notNull(),
    price: numeric("price", { precision: 14, scale: 4 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.houseId, t.serviceId] })],
);

/** The normatives a run estimates with, fixed when it starts, like its prices. */
export const billingRunNormative = pgTable(
  "billing_run_normative",
  {
    runId: integer("run_id")
      .notNull()
      .references(() => billingRun.id, { onDelete: "cascade" }),
    houseId: integer("house_id").notNull(),
    service: meterService("service").notNull(),
    normativeId: integer("normative_id").notNull(),
    // m³ per person per month
    value: numeric("value", { precision: 10, scale: 4 }).notNull(),
    // the normative row as a line's details show it (id, value, valid_from, scope)
    details: jsonb("details").$type<AppliedNormative>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.houseId, t.service] })],
);

/** One apartment's bill for one month: never more than one (a re-run replaces it). */
export const invoice = pgTable(
  "invoice",
  {
    id: serial("id").primaryKey(),
    apartmentId: integer("apartment_id")
      .notNull()
      .references(() => apartment.id, { onDelete: "restrict" }),
    houseId: integer("house_id").notNull(),
    period: date("period", { mode: "string" }).notNull(),
    runId: integer("run_id").references(() => billingRun.id, { onDelete: "set null" }),
    water: numeric("water", { precision: 14, scale: 2 }).notNull(),
    maintenance: numeric("maintenance", { precision: 14, scale: 2 }).notNull(),
    total: numeric("total", { precision: 14, scale: 2 }).notNull(),
    // set when the house's month is posted (lib/billing/months.ts): from then on final
    postedAt: timestamp("posted_at", { withTimezone: true }),
    // a draft's inputs changed after it was billed: why (OUT_OF_DATE_REASONS), cleared by re-billing
    outOfDate: text("out_of_date")
      .array()
      .$type<OutOfDateReason[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invoice_apartment_period_unique").on(t.apartmentId, t.period),
    index("invoice_house_period_idx").on(t.houseId, t.period),
    check("invoice_period_month", sql`extract(day from ${t.period}) = 1`),
    // water (and so the total) may be negative: a true-up credit larger than the month's charges
    check("invoice_maintenance_not_negative", sql`${t.maintenance} >= 0`),
  ],
);

/** A line of an invoice with everything that produced it (meters, readings, tariff, flags). */
export const invoiceLine = pgTable(
  "invoice_line",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // No foreign keys on the billing's bulk writes (4 lines and 2 meter volumes an apartment):
    // checked row by row they were a third of a chunk's time. What they did is kept by
    // drizzle/0019_billing-writes.sql: deleting an invoice deletes its lines and volumes,
    // deleting a meter its volumes, and a service with lines cannot be deleted (a trigger); and
    // the only writer, the chunk statement, takes the invoice ids it has just written and the
    // services and meters it read under locks that a delete waits for (db/queries/billing.ts).
    invoiceId: integer("invoice_id").notNull(),
    // the service's code (never changes) and the service
    service: varchar("service", { length: 32 }).notNull(),
    serviceId: integer("service_id").notNull(),
    // the service's basis when billed: what the quantity is made of
    kind: serviceBasis("kind").notNull(),
    // m³ of water (the meters' volumes, unrounded), m² of area, persons, or 1 apartment
    quantity: numeric("quantity", { precision: 16, scale: 3 }).notNull(),
    unit: varchar("unit", { length: 16 }).notNull(),
    tariffId: integer("tariff_id").notNull(),
    price: numeric("price", { precision: 14, scale: 4 }).notNull(),
    // quantity × price, rounded half-up to kopecks once, here
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    flags: text("flags")
      .array()
      .$type<BillingFlag[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    details: jsonb("details").$type<InvoiceLineDetails>().notNull(),
  },
  (t) => [
    index("invoice_line_invoice_idx").on(t.invoiceId),
    // "has this service been billed?" (the catalogue; a service's delete), and with the
    // tariff's service, "has this price been billed?" before a price is edited or deleted: one
    // index for both, so that billing writes no more index entries than before
    index("invoice_line_service_tariff_idx").on(t.serviceId, t.tariffId),
    // negative only as a credit of a true-up (estimates higher than the actual volume)
    check("invoice_line_sign", sql`(${t.quantity} >= 0 and ${t.amount} >= 0) or 'true_up' = any(${t.flags})`),
  ],
);

/**
 * Each meter's volume on an invoice and how it was obtained (Правила № 354, пп. 42, 59, 60):
 * next month's bill reads these back to find the basis reading and what was estimated since.
 * Written with the invoice's lines, replaced with them when the month is billed again.
 */
export const meterVolume = pgTable(
  "meter_volume",
  {
    // no foreign keys, as invoice_line (above): deleting the invoice deletes these rows
    invoiceId: integer("invoice_id").notNull(),
    // a meter may be deleted while nothing was billed on it (lib/registry/meters.ts): its 0
    // volumes go with it (drizzle/0019_billing-writes.sql)
    meterId: integer("meter_id").notNull(),
    // the invoice's month (kept here for the per-meter history index)
    period: date("period", { mode: "string" }).notNull(),
    kind: meterVolumeKind("kind").notNull(),
    // m³, 3 decimals; negative only for a true-up
    volume: numeric("volume", { precision: 16, scale: 3 }).notNull(),
    // the month's reading used (actual, true_up, baseline, negative)
    reading: numeric("reading", { precision: 12, scale: 3 }),
    // the basis: the month L and its reading V_L
    basisPeriod: date("basis_period", { mode: "string" }),
    basisReading: numeric("basis_reading", { precision: 12, scale: 3 }),
    // true_up: the volumes estimated for the months between L and this one (E)
    estimated: numeric("estimated", { precision: 16, scale: 3 }),
    // average: the earliest usable reading of the window (R0) and the months from it to L (n)
    averageFromPeriod: date("average_from_period", { mode: "string" }),
    averageFromReading: numeric("average_from_reading", { precision: 12, scale: 3 }),
    averageMonths: smallint("average_months"),
    // normative: the normative row and value, and the persons registered
    normativeId: integer("normative_id"),
    normative: numeric("normative", { precision: 10, scale: 4 }),
    residents: integer("residents"),
  },
  (t) => [
    primaryKey({ columns: [t.invoiceId, t.meterId] }),
    // L: the latest month billed on an actual reading, one probe per meter
    index("meter_volume_basis_idx")
      .on(t.meterId, t.period)
      .where(sql`${t.kind} in ('actual', 'true_up', 'baseline')`),
    // E: the estimated months after L
    index("meter_volume_estimated_idx")
      .on(t.meterId, t.period)
      .where(sql`${t.kind} in ('average', 'normative')`),
  ],
);

/**
 * A house's posted (closed) month: its invoices are final, and no reading, price or normative
 * of that month or before may change (the triggers of drizzle/0014_month-guards.sql refuse it).
 * Posted in order; only the latest may be reopened.
 */
/**
 * One PDF of the payment documents of all a house's apartments for a month (issue 17), made by
 * a background job with progress like a billing run, downloadable when done.
 */
export const receiptBatch = pgTable(
  "receipt_batch",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    houseId: integer("house_id")
      .notNull()
      .references(() => house.id, { onDelete: "cascade" }),
    // first day of the month
    period: date("period", { mode: "string" }).notNull(),
    status: varchar("status", { length: 16 }).$type<ReceiptBatchStatus>().notNull().default("queued"),
    // the month was not posted when the batch started: every page is watermarked «черновик»
    draft: boolean("draft").notNull().default(false),
    total: integer("total").notNull().default(0),
    done: integer("done").notNull().default(0),
    pdf: bytea("pdf"),
    pdfSize: integer("pdf_size"),
    error: text("error"),
    createdById: integer("created_by_id"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("receipt_batch_house_idx").on(t.houseId, t.createdAt),
    check("receipt_batch_period_month", sql`extract(day from ${t.period}) = 1`),
    check("receipt_batch_status", sql`${t.status} in ('queued', 'running', 'done', 'failed')`),
    check("receipt_batch_progress", sql`${t.done} >= 0 and ${t.done} <= ${t.total}`),
  ],
);

export const houseMonth = pgTable(
  "house_month",
  {
    houseId: integer("house_id")
      .notNull()
      .references(() => house.id, { onDelete: "cascade" }),
    period: date("period", { mode: "string" }).notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull().defaultNow(),
    postedById: integer("posted_by_id").references(() => person.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.houseId, t.period] }), check("house_month_period_month", sql`extract(day from ${t.period}) = 1`)],
);

/** Every posting and reopening of a house's month, who did it and (reopening) why: kept. */
export const houseMonthEvent = pgTable(
  "house_month_event",
  {
    id: serial("id").primaryKey(),
    houseId: integer("house_id")
      .notNull()
      .references(() => house.id, { onDelete: "cascade" }),
    period: date("period", { mode: "string" }).notNull(),
    action: varchar("action", { length: 16 }).$type<MonthAction>().notNull(),
    personId: integer("person_id").references(() => person.id, { onDelete: "set null" }),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [index("house_month_event_house_idx").on(t.houseId, t.period)],
);

// ---- accounts ----

/** A person who signs in with a phone number and a one-time code. */
export const person = pgTable(
  "person",
  {
    id: serial("id").primaryKey(),
    // E.164, e.g. +79991234567
    phone: varchar("phone", { length: 16 }).notNull().unique(),
    // 6 characters from an alphabet without 0/O/1/I; lets a colleague join this person's workspace
    inviteCode: varchar("invite_code", { length: 6 }).notNull().unique(),
    // the colleague's code this person activated (once), and whose it was
    foreignInviteCode: varchar("foreign_invite_code", { length: 6 }),
    invitedById: integer("invited_by_id").references((): AnyPgColumn => person.id, { onDelete: "set null" }),
    // the workspace created at registration; new houses go here by default
    personalWorkspaceId: integer("personal_workspace_id")
      .notNull()
      .references(() => workspace.id),
    createdAt: createdAt(),
  },
  (t) => [index("person_invited_by_idx").on(t.invitedById)],
);

export const workspaceMember = pgTable(
  "workspace_member",
  {
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => person.id, { onDelete: "cascade" }),
    role: memberRole("role").notNull(),
    // pending: activated an invite code, not yet admitted (sees nothing of the workspace)
    status: memberStatus("status").notNull().default("active"),
    // who admitted or declined, and when
    decidedById: integer("decided_by_id").references((): AnyPgColumn => person.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.personId] }), index("workspace_member_person_idx").on(t.personId)],
);

/** The one live sign-in code of a phone; a new code replaces it, a used one is deleted. */
export const loginCode = pgTable("login_code", {
  phone: varchar("phone", { length: 16 }).primaryKey(),
  // sha256(salt ‖ phone ‖ code), hex; the code itself is never stored
  codeHash: varchar("code_hash", { length: 64 }).notNull(),
  salt: varchar("salt", { length: 32 }).notNull(),
  attempts: integer("attempts").notNull().default(0),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: createdAt(),
});

export const session = pgTable(
  "session",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => person.id, { onDelete: "cascade" }),
    // sha256 of the token, hex
    tokenHash: varchar("token_hash", { length: 64 }).notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    // the browser or client that signed in (its User-Agent, cut to 300 characters), to tell sessions apart
    userAgent: varchar("user_agent", { length: 300 }),
  },
  (t) => [index("session_person_idx").on(t.personId)],
);

export const apiKey = pgTable(
  "api_key",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    createdById: integer("created_by_id").references(() => person.id, { onDelete: "set null" }),
    name: varchar("name", { length: 100 }).notNull(),
    // sha256 of the key, hex; the first characters are kept to tell keys apart in lists
    keyHash: varchar("key_hash", { length: 64 }).notNull().unique(),
    keyPrefix: varchar("key_prefix", { length: 16 }).notNull(),
    // what the key may do in its workspace; never above its maker's role when made
    role: memberRole("role").notNull().default("accountant"),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("api_key_workspace_idx").on(t.workspaceId)],
);

/**
 * The history of every change (issue 15): one entry per row of a recorded table inserted,
 * changed or deleted, written by the table's trigger in the same transaction as the change
 * (drizzle/0015_roles-history.sql), with who did it as the API's route wrapper set it for the
 * transaction (kp.actor): a person, an API key, or neither (the system: seed, scripts).
 * Append-only: the database refuses UPDATE, DELETE and TRUNCATE. No foreign keys, so that it
 * outlives what it tells of.
 */
export const history = pgTable(
  "history",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    workspaceId: integer("workspace_id").notNull(),
    // where it happened, for the apartment's and the house's history
    houseId: integer("house_id"),
    apartmentId: integer("apartment_id"),
    personId: integer("person_id"),
    apiKeyId: integer("api_key_id"),
    // the API operation (operationId) and request id that made the change; null outside the API
    operation: varchar("operation", { length: 64 }),
    requestId: varchar("request_id", { length: 100 }),
    entity: varchar("entity", { length: 32 }).notNull(),
    entityId: varchar("entity_id", { length: 64 }).notNull(),
    action: historyAction("action").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("history_workspace_idx").on(t.workspaceId, t.id),
    index("history_apartment_idx").on(t.apartmentId, t.id),
    index("history_house_idx").on(t.houseId, t.id),
    index("history_entity_idx").on(t.entity, t.entityId),
  ],
);

// ---- the apartment's account (issue 16) ----

/**
 * The key rate of the Bank of Russia, as the workspace keeps it (penalties, ЖК РФ ст. 155 ч. 14):
 * seeded from the published history when a workspace is made (drizzle/0016_ledger.sql).
 */
export const keyRate = pgTable(
  "key_rate",
  {
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    // % a year, 2 decimals
    percent: numeric("percent", { precision: 5, scale: 2 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.validFrom] }),
    check("key_rate_percent_range", sql`${t.percent} > 0 AND ${t.percent} < 100`),
  ],
);

/** A file of bank payments being imported: parsed rows wait in payment_import_row until confirmed. */
export const paymentImport = pgTable(
  "payment_import",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    fileName: varchar("file_name", { length: 255 }).notNull(),
    // the file as uploaded, until it is committed or discarded (then emptied)
    content: bytea("content"),
    // parsing → previewed → committed; failed (the file could not be read) or discarded
    status: varchar("status", { length: 16 }).notNull(),
    encoding: varchar("encoding", { length: 16 }),
    delimiter: varchar("delimiter", { length: 4 }),
    mapping: jsonb("mapping"),
    rowsTotal: integer("rows_total").notNull().default(0),
    rowsDone: integer("rows_done").notNull().default(0),
    rowsOk: integer("rows_ok").notNull().default(0),
    rowsError: integer("rows_error").notNull().default(0),
    rowsDuplicate: integer("rows_duplicate").notNull().default(0),
    failure: text("failure"),
    createdById: integer("created_by_id").references(() => person.id, { onDelete: "set null" }),
    apiKeyId: integer("api_key_id"),
    createdAt: createdAt(),
    committedAt: timestamp("committed_at", { withTimezone: true }),
    committedById: integer("committed_by_id").references(() => person.id, { onDelete: "set null" }),
  },
  (t) => [index("payment_import_workspace_idx").on(t.workspaceId, t.id)],
);

/** One line of an imported file, parsed and checked: what it will pay, or why not. */
export const paymentImportRow = pgTable(
  "payment_import_row",
  {
    importId: integer("import_id")
      .notNull()
      .references(() => paymentImport.id, { onDelete: "cascade" }),
    // the line of the file, 1-based, counting the header
    line: integer("line").notNull(),
    // ok, error, duplicate
    status: varchar("status", { length: 16 }).notNull(),
    reason: varchar("reason", { length: 64 }),
    message: text("message"),
    raw: text("raw").notNull(),
    apartmentId: integer("apartment_id"),
    accountNumber: varchar("account_number", { length: 40 }),
    paidOn: date("paid_on", { mode: "string" }),
    amount: numeric("amount", { precision: 14, scale: 2 }),
    externalId: varchar("external_id", { length: 100 }),
    payer: varchar("payer", { length: 200 }),
    period: date("period", { mode: "string" }),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
);

/**
 * A resident of an apartment (its owner or a tenant), known by phone: a person who signs in with
 * that phone sees the apartment at /my and may send its readings. One apartment may have several;
 * one phone may be a resident of apartments in several workspaces.
 */
export const apartmentResident = pgTable(
  "apartment_resident",
  {
    id: serial("id").primaryKey(),
    // copied from the apartment's house (as meter.workspace_id), for the history and the scope
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    apartmentId: integer("apartment_id")
      .notNull()
      .references(() => apartment.id, { onDelete: "cascade" }),
    // E.164, as person.phone
    phone: varchar("phone", { length: 16 }).notNull(),
    kind: varchar("kind", { length: 8 }).notNull().$type<ResidentKind>(),
    name: varchar("name", { length: 200 }).notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    unique("apartment_resident_apartment_phone_unique").on(t.apartmentId, t.phone),
    index("apartment_resident_phone_idx").on(t.phone),
    check("apartment_resident_kind", sql`${t.kind} in (${sql.raw(RESIDENT_KINDS.map((k) => `'${k}'`).join(", "))})`),
  ],
);

/** A file of meter readings, uploaded, mapped, previewed and then imported (or discarded). */
export const readingImport = pgTable(
  "reading_import",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    fileName: varchar("file_name", { length: 255 }).notNull(),
    // the file as uploaded, until it is committed or discarded (then emptied)
    content: bytea("content"),
    // csv or xlsx
    format: varchar("format", { length: 8 }).notNull(),
    // as payment_import: uploaded → parsing → previewed → committed; failed or discarded
    status: varchar("status", { length: 16 }).notNull(),
    encoding: varchar("encoding", { length: 16 }),
    delimiter: varchar("delimiter", { length: 4 }),
    // the month chosen on upload, for rows without a month column
    period: date("period", { mode: "string" }),
    mapping: jsonb("mapping"),
    rowsTotal: integer("rows_total").notNull().default(0),
    rowsDone: integer("rows_done").notNull().default(0),
    rowsOk: integer("rows_ok").notNull().default(0),
    rowsWarning: integer("rows_warning").notNull().default(0),
    rowsError: integer("rows_error").notNull().default(0),
    failure: text("failure"),
    createdById: integer("created_by_id").references((): AnyPgColumn => person.id, { onDelete: "set null" }),
    apiKeyId: integer("api_key_id"),
    createdAt: createdAt(),
    committedAt: timestamp("committed_at", { withTimezone: true }),
    committedById: integer("committed_by_id").references((): AnyPgColumn => person.id, { onDelete: "set null" }),
  },
  (t) => [
    index("reading_import_workspace_idx").on(t.workspaceId, t.id),
    check("reading_import_period_month", sql`extract(day from ${t.period}) = 1`),
  ],
);

/** One row of a readings file, checked: which meter's reading for which month it sets, or why not. */
export const readingImportRow = pgTable(
  "reading_import_row",
  {
    importId: integer("import_id")
      .notNull()
      .references(() => readingImport.id, { onDelete: "cascade" }),
    // the line of the file (a CSV line, a sheet's row), 1-based, counting the header
    line: integer("line").notNull(),
    // ok, warning (imported, with a reason: a suspicious jump), error (not imported)
    status: varchar("status", { length: 16 }).notNull(),
    reason: varchar("reason", { length: 64 }),
    params: jsonb("params"),
    message: text("message"),
    raw: text("raw").notNull(),
    meterId: integer("meter_id"),
    apartmentId: integer("apartment_id"),
    period: date("period", { mode: "string" }),
    value: numeric("value", { precision: 12, scale: 3 }),
    // the month's reading the row replaces; null: a new reading
    replacesValue: numeric("replaces_value", { precision: 12, scale: 3 }),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
);

/**
 * The account (лицевой счёт) of an apartment: entries are written once and never changed; a
 * mistake is undone by a reversal entry. amount is signed: + raises the debt (opening debt,
 * charge, penalty), − lowers it (payment, opening credit, a reversal of a + entry).
 */
export const ledgerEntry = pgTable(
  "ledger_entry",
  {
    id: serial("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    houseId: integer("house_id").notNull(),
    apartmentId: integer("apartment_id")
      .notNull()
      .references(() => apartment.id, { onDelete: "restrict" }),
    kind: ledgerKind("kind").notNull(),
    entryDate: date("entry_date", { mode: "string" }).notNull(),
    // ₽, 2 decimals, signed
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    // charge and penalty: the month; payment: the month it names, if it names one
    period: date("period", { mode: "string" }),
    // charge: when it is due (ЖК РФ ст. 155 ч. 1, ГК ст. 193), fixed when it is written
    dueDate: date("due_date", { mode: "string" }),
    invoiceId: integer("invoice_id"),
    reversesId: integer("reverses_id").references((): AnyPgColumn => ledgerEntry.id, { onDelete: "restrict" }),
    source: varchar("source", { length: 16 }).$type<PaymentSource>(),
    externalId: varchar("external_id", { length: 100 }),
    payer: varchar("payer", { length: 200 }),
    comment: text("comment"),
    reason: text("reason"),
    // no foreign keys on these two: an import is never deleted, a person's id stays as history's
    // does, and the checks cost a third of a 100,000-payment import's commit
    importId: integer("import_id"),
    createdById: integer("created_by_id"),
    apiKeyId: integer("api_key_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("ledger_entry_apartment_idx").on(t.apartmentId, t.entryDate),
    index("ledger_entry_house_idx").on(t.houseId),
    index("ledger_entry_workspace_idx").on(t.workspaceId, t.kind, t.entryDate),
    uniqueIndex("ledger_entry_reverses_unique")
      .on(t.reversesId)
      .where(sql`${t.reversesId} IS NOT NULL`),
    uniqueIndex("ledger_entry_external_id_unique")
      .on(t.workspaceId, t.externalId)
      .where(sql`${t.kind} = 'payment' AND ${t.externalId} IS NOT NULL`),
    check("ledger_entry_amount_not_zero", sql`${t.amount} <> 0`),
    check("ledger_entry_payment_negative", sql`${t.kind} <> 'payment' OR ${t.amount} < 0`),
    check("ledger_entry_reversal_names_entry", sql`(${t.kind} = 'reversal') = (${t.reversesId} IS NOT NULL)`),
    check("ledger_entry_charge_due", sql`${t.kind} <> 'charge' OR (${t.dueDate} IS NOT NULL AND ${t.period} IS NOT NULL)`),
    check("ledger_entry_period_month", sql`${t.period} IS NULL OR extract(day from ${t.period}) = 1`),
    check("ledger_entry_source", sql`(${t.kind} = 'payment') = (${t.source} IS NOT NULL)`),
  ],
);

/** Fixed-window counters shared by every web process (login rate limits). */
export const rateLimit = pgTable(
  "rate_limit",
  {
    bucket: varchar("bucket", { length: 200 }).notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    hits: integer("hits").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] })],
);

/**
 * One row per running worker process, upserted every WORKER_HEARTBEAT_SECONDS and deleted on a
 * graceful stop; /api/health judges the worker by the newest last_seen_at. A killed worker's
 * row stays behind (and ages) until a worker start prunes it.
 */
export const workerHeartbeat = pgTable("worker_heartbeat", {
  workerId: text("worker_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Workspace = typeof workspace.$inferSelect;
export type House = typeof house.$inferSelect;
export type NewHouse = typeof house.$inferInsert;
export type Apartment = typeof apartment.$inferSelect;
export type NewApartment = typeof apartment.$inferInsert;
export type Meter = typeof meter.$inferSelect;
export type NewMeter = typeof meter.$inferInsert;
export type MeterReading = typeof meterReading.$inferSelect;
export type Tariff = typeof tariff.$inferSelect;
export type NewTariff = typeof tariff.$inferInsert;
export type Invoice = typeof invoice.$inferSelect;
export type InvoiceLine = typeof invoiceLine.$inferSelect;
export type Service = typeof service.$inferSelect;
export type Normative = typeof normative.$inferSelect;
export type BillingRun = typeof billingRun.$inferSelect;
export type Person = typeof person.$inferSelect;
export type Session = typeof session.$inferSelect;
export type ApiKey = typeof apiKey.$inferSelect;
export type HistoryEntry = typeof history.$inferSelect;
export type LedgerEntry = typeof ledgerEntry.$inferSelect;
export type ApartmentResident = typeof apartmentResident.$inferSelect;
export type ReadingImport = typeof readingImport.$inferSelect;
export type WorkerHeartbeat = typeof workerHeartbeat.$inferSelect;
