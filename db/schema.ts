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
  serial,
  type AnyPgColumn,
  text,
  timestamp,
  unique,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

export const memberRole = pgEnum("member_role", ["owner", "member"]);
export const meterService = pgEnum("meter_service", ["cold_water", "hot_water"]);
export const tariffService = pgEnum("tariff_service", ["cold_water", "hot_water", "maintenance"]);

export const METER_SERVICES = meterService.enumValues;
export const TARIFF_SERVICES = tariffService.enumValues;
export type MeterService = (typeof METER_SERVICES)[number];
export type TariffService = (typeof TARIFF_SERVICES)[number];

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
  (t) => [
    unique("meter_workspace_serial_unique").on(t.workspaceId, t.serialNumber),
    index("meter_apartment_idx").on(t.apartmentId),
  ],
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
    unique("tariff_scope_service_month_unique")
      .on(t.workspaceId, t.houseId, t.service, t.validFrom)
      .nullsNotDistinct(),
    check("tariff_price_positive", sql`${t.price} > 0`),
    check("tariff_valid_from_month", sql`extract(day from ${t.validFrom}) = 1`),
  ],
);

/**
 * One apartment's bill for one month. The billing engine fills it; the registry only needs
 * to know that billed apartments (and so their houses) may not be deleted.
 */
export const invoice = pgTable(
  "invoice",
  {
    id: serial("id").primaryKey(),
    apartmentId: integer("apartment_id")
      .notNull()
      .references(() => apartment.id, { onDelete: "restrict" }),
    period: date("period", { mode: "string" }).notNull(),
    water: numeric("water", { precision: 14, scale: 2 }).notNull(),
    maintenance: numeric("maintenance", { precision: 14, scale: 2 }).notNull(),
    total: numeric("total", { precision: 14, scale: 2 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invoice_apartment_period_unique").on(t.apartmentId, t.period),
    check("invoice_period_month", sql`extract(day from ${t.period}) = 1`),
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
export type Person = typeof person.$inferSelect;
export type Session = typeof session.$inferSelect;
export type ApiKey = typeof apiKey.$inferSelect;
