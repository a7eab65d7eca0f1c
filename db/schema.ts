import { sql } from "drizzle-orm";
import {
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
  type AnyPgColumn,
  text,
  timestamp,
  unique,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
// The two modules below are pure (enumerations and the zod shapes of JSON columns): the one
// exception to "db/ imports nothing above it", so that every layer spells a value once.
import { MEMBER_ROLES, METER_SERVICES, RUN_STATUSES, TARIFF_SERVICES, type BillingFlag, type RunFailureReason } from "../lib/constants";
import type { FlagCounts, InvoiceLineDetails } from "../lib/schemas/stored";

export const billingRunStatus = pgEnum("billing_run_status", RUN_STATUSES);
export const memberRole = pgEnum("member_role", MEMBER_ROLES);
export const meterService = pgEnum("meter_service", METER_SERVICES);
export const tariffService = pgEnum("tariff_service", TARIFF_SERVICES);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** A management company's space; every house belongs to exactly one. */
export const workspace = pgTable("workspace", {
  id: serial("id").primaryKey(),
  // Stable handle for workspaces the system itself creates ("default").
  slug: varchar("slug", { length: 64 }).unique(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

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
    // Set when the apartment is archived: gone from the lists and from later runs, its invoices
    // and readings kept (an apartment with invoices cannot be deleted).
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    unique("apartment_house_number_unique").on(t.houseId, t.number),
    check("apartment_area_range", sql`${t.area} > 0 AND ${t.area} <= 10000`),
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
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("meter_reading_meter_period_unique").on(t.meterId, t.period),
    check("meter_reading_period_month", sql`extract(day from ${t.period}) = 1`),
    check("meter_reading_value_range", sql`${t.value} >= 0 AND ${t.value} < 1000000000`),
  ],
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
    service: tariffService("service").notNull(),
    // roubles per m³ (water) or per m² (maintenance), 4 decimals
    price: numeric("price", { precision: 14, scale: 4 }).notNull(),
    // first day of the month from which the price applies
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("tariff_scope_service_month_unique").on(t.workspaceId, t.houseId, t.service, t.validFrom).nullsNotDistinct(),
    check("tariff_price_positive", sql`${t.price} > 0`),
    check("tariff_valid_from_month", sql`extract(day from ${t.validFrom}) = 1`),
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
    service: tariffService("service").notNull(),
    tariffId: integer("tariff_id").notNull(),
    price: numeric("price", { precision: 14, scale: 4 }).notNull(),
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
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invoice_apartment_period_unique").on(t.apartmentId, t.period),
    index("invoice_house_period_idx").on(t.houseId, t.period),
    check("invoice_period_month", sql`extract(day from ${t.period}) = 1`),
    check("invoice_amounts_not_negative", sql`${t.water} >= 0 and ${t.maintenance} >= 0 and ${t.total} >= 0`),
  ],
);

/** A line of an invoice with everything that produced it (meters, readings, tariff, flags). */
export const invoiceLine = pgTable(
  "invoice_line",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoice.id, { onDelete: "cascade" }),
    service: tariffService("service").notNull(),
    // m³ of water (sum of the meters' consumption, unrounded) or m² of area
    quantity: numeric("quantity", { precision: 16, scale: 3 }).notNull(),
    unit: varchar("unit", { length: 4 }).notNull(),
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
    // "has this price been billed?" before a price is edited or deleted
    index("invoice_line_tariff_idx").on(t.tariffId),
    check("invoice_line_not_negative", sql`${t.quantity} >= 0 and ${t.amount} >= 0`),
  ],
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
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("api_key_workspace_idx").on(t.workspaceId)],
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
export type BillingRun = typeof billingRun.$inferSelect;
export type Person = typeof person.$inferSelect;
export type Session = typeof session.$inferSelect;
export type ApiKey = typeof apiKey.$inferSelect;
export type WorkerHeartbeat = typeof workerHeartbeat.$inferSelect;
