import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

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
