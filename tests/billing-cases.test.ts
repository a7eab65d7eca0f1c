import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { meterReading } from "../db/schema";
import { Dec } from "../lib/money";
import { api } from "./helpers/api";
import { asNewPerson } from "./helpers/as-person";
import { billInline } from "./helpers/billing";
import { db } from "./helpers/db";

// The billing rules live in SQL (db/queries/fragments.ts meterStates, db/queries/billing.ts
// billChunkStatement), so they are proven here through the database (STYLE rule 8): every case
// is set up through the API in a workspace of its own (workspace prices apply to every house of
// a workspace), billed with the worker's code path (billInline), and read back through
// GET /api/houses/:id/invoices, GET /api/billing-runs/:id and the meter_volume table. Every
// expected figure is written out by hand in the case; the test never recomputes them.
//
// A new workspace bills wastewater (cold + hot volume) as soon as it has water meters: the cases
// about other rules switch it off, the ones about wastewater price it.

type WaterService = "cold_water" | "hot_water";
type Basis = "meter" | "water_sum" | "area" | "residents" | "apartment";
type Flag =
  "no_previous_reading" | "negative_consumption" | "estimated_average" | "estimated_normative" | "verification_expired" | "true_up";
type Kind = "actual" | "true_up" | "baseline" | "negative" | "average" | "normative";
type Reading = [period: string, value: string];

interface MeterSpec {
  /** serial number, unique within the case */
  serial: string;
  service: WaterService;
  /** month → m³ */
  readings: Record<string, string>;
  /** the last day of its verification */
  verified_until?: string;
  /** write the readings straight into meter_reading (data loaded outside the API) */
  direct?: boolean;
}

interface ApartmentSpec {
  number: string;
  area: string;
  residents?: number;
  meters?: MeterSpec[];
}

/** A service the case adds to the workspace's catalogue (POST /api/services: inactive until priced). */
interface ServiceSpec {
  code: string;
  name_ru: string;
  name_en: string;
  basis: Basis;
}

interface TariffSpec {
  key: string;
  /** a service code */
  service: string;
  price: string;
  valid_from: string;
  /** a house key of the case: a price for that house only; without it, the workspace default */
  house?: string;
}

interface NormativeSpec {
  key: string;
  service: WaterService;
  /** m³ per person per month */
  value: string;
  valid_from: string;
  house?: string;
}

/** After the prices: a service switched on or off, or off for some houses (PATCH /api/services/:id). */
interface SwitchSpec {
  service: string;
  active?: boolean;
  off?: string[];
}

interface ExpectedMeter {
  serial: string;
  kind: Kind;
  previous: Reading | null;
  current: Reading | null;
  consumption: string;
  flags: Flag[];
  trueUp?: { actual: string; estimated: string; months: number; by: "average" | "normative" | "mixed" };
  average?: { from: Reading; months: number };
  /** the normative's key, or null when no one is registered */
  normative?: { residents: number; key: string | null };
  missing?: number | null;
  verifiedUntil?: string;
}

interface ExpectedLine {
  /** a service code */
  service: string;
  quantity: string;
  price: string;
  amount: string;
  flags: Flag[];
  /** key of the tariff row the price must come from */
  tariff: string;
  /** meter and wastewater lines: the meters in the order they were created */
  meters?: ExpectedMeter[];
  trueUp?: { estimated: string; recalculation: string; charge: string };
  area?: string;
  residents?: number;
}

interface ExpectedInvoice {
  apartment: string;
  water: string;
  maintenance: string;
  total: string;
  lines: ExpectedLine[];
  /** why the draft is out of date once the case's later steps have run (a reading entered late for its month) */
  outOfDateAtEnd?: string[];
}

interface Bill {
  house: string;
  period: string;
  invoices: ExpectedInvoice[];
  totals: { water: string; maintenance: string; total: string };
  /** the run's summary.flags: flag → number of meters */
  flags: Partial<Record<Flag, number>>;
}

/** A run that fails before writing anything. */
interface Failure {
  fails: { house: string; period: string; reason: string; error: RegExp; params: { service: string; more: number } };
}

type Step = Bill | Failure | { reading: { serial: string; period: string; value: string } } | { normative: NormativeSpec };

interface Case {
  name: string;
  services?: ServiceSpec[];
  tariffs: TariffSpec[];
  normatives?: NormativeSpec[];
  switches?: SwitchSpec[];
  houses: Record<string, ApartmentSpec[]>;
  /** in this order; afterwards every bill is read again (later runs must not touch it) */
  steps: Step[];
  chunkSize?: number;
}

const NO_WASTEWATER: SwitchSpec[] = [{ service: "wastewater", active: false }];

/** House h's June run fails for want of a cold-water normative; then one is added (3 m³ a person, from January). */
const NO_COLD_NORMATIVE_UNTIL_ADDED: Step[] = [
  {
    fails: {
      house: "h",
      period: "2024-06",
      reason: "missing_normative",
      error: /^no normative in force in 2024-06 .*: cold_water for house \d+ \(ул\. Расчётная, h\)\. Add the normative and run again\.$/,
      params: { service: "cold_water", more: 0 },
    },
  },
  { normative: { key: "n-cold", service: "cold_water", value: "3.0000", valid_from: "2024-01" } },
];

const UNIT: Record<Basis, string> = { meter: "m3", water_sum: "m3", area: "m2", residents: "person", apartment: "apartment" };

const cold = (serial: string, readings: Record<string, string>, extra: Partial<MeterSpec> = {}): MeterSpec => ({
  serial,
  service: "cold_water",
  readings,
  ...extra,
});
const hot = (serial: string, readings: Record<string, string>, extra: Partial<MeterSpec> = {}): MeterSpec => ({
  serial,
  service: "hot_water",
  readings,
  ...extra,
});
const tariff = (key: string, service: string, price: string, valid_from: string, house?: string): TariffSpec => ({
  key,
  service,
  price,
  valid_from,
  ...(house ? { house } : {}),
});
const maintenance = (area: string, price: string, amount: string, tariffKey = "maint"): ExpectedLine => ({
  service: "maintenance",
  quantity: area,
  price,
  amount,
  flags: [],
  tariff: tariffKey,
  area,
});

// How a meter's volume was obtained, as its line shows it.
const actual = (serial: string, previous: Reading, current: Reading, consumption: string): ExpectedMeter => ({
  serial,
  kind: "actual",
  previous,
  current,
  consumption,
  flags: [],
});
const baseline = (serial: string, current: Reading): ExpectedMeter => ({
  serial,
  kind: "baseline",
  previous: null,
  current,
  consumption: "0.000",
  flags: ["no_previous_reading"],
});
const negative = (serial: string, previous: Reading, current: Reading): ExpectedMeter => ({
  serial,
  kind: "negative",
  previous,
  current,
  consumption: "0.000",
  flags: ["negative_consumption"],
});
/** No usable reading, no average, no one registered: the normative gives 0 without one. */
const nobody = (serial: string, previous: Reading | null, missing: number | null): ExpectedMeter => ({
  serial,
  kind: "normative",
  previous,
  current: null,
  consumption: "0.000",
  flags: ["estimated_normative"],
  normative: { residents: 0, key: null },
  missing,
});
const average = (
  serial: string,
  previous: Reading,
  consumption: string,
  window: { from: Reading; months: number; missing: number },
  extra: Partial<ExpectedMeter> = {},
): ExpectedMeter => ({
  serial,
  kind: "average",
  previous,
  current: null,
  consumption,
  flags: ["estimated_average"],
  average: { from: window.from, months: window.months },
  missing: window.missing,
  ...extra,
});
const normative = (
  serial: string,
  previous: Reading | null,
  consumption: string,
  by: { residents: number; key: string | null; missing: number | null },
): ExpectedMeter => ({
  serial,
  kind: "normative",
  previous,
  current: null,
  consumption,
  flags: ["estimated_normative"],
  normative: { residents: by.residents, key: by.key },
  missing: by.missing,
});
const trueUp = (serial: string, previous: Reading, current: Reading, consumption: string, by: ExpectedMeter["trueUp"]): ExpectedMeter => ({
  serial,
  kind: "true_up",
  previous,
  current,
  consumption,
  flags: ["true_up"],
  trueUp: by,
});

const cases: Case[] = [
  {
    name: "basic: one cold meter, consumption × price and area × price",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: { h: [{ number: "1", area: "50.00", meters: [cold("B-1", { "2024-02": "100", "2024-03": "112" })] }] },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            water: "480.00",
            maintenance: "1000.00",
            total: "1480.00",
            lines: [
              {
                service: "cold_water",
                quantity: "12.000",
                price: "40.0000",
                amount: "480.00",
                flags: [],
                tariff: "cold",
                meters: [actual("B-1", ["2024-02", "100.000"], ["2024-03", "112.000"], "12.000")],
              },
              maintenance("50.00", "20.0000", "1000.00"),
            ],
          },
        ],
        totals: { water: "480.00", maintenance: "1000.00", total: "1480.00" },
        flags: {},
      },
    ],
  },
  {
    name: "fractions: 3-decimal readings, 2-decimal area, 4-decimal prices, exact to the kopeck",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "45.6789", "2023-01"), tariff("maint", "maintenance", "23.4567", "2023-01")],
    houses: { h: [{ number: "7", area: "45.67", meters: [cold("F-1", { "2024-02": "123.456", "2024-03": "130.789" })] }] },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "7",
            // 7.333 × 45.6789 = 334.9633737 → 334.96; 45.67 × 23.4567 = 1071.267489 → 1071.27
            water: "334.96",
            maintenance: "1071.27",
            total: "1406.23",
            lines: [
              {
                service: "cold_water",
                quantity: "7.333",
                price: "45.6789",
                amount: "334.96",
                flags: [],
                tariff: "cold",
                meters: [actual("F-1", ["2024-02", "123.456"], ["2024-03", "130.789"], "7.333")],
              },
              maintenance("45.67", "23.4567", "1071.27"),
            ],
          },
        ],
        totals: { water: "334.96", maintenance: "1071.27", total: "1406.23" },
        flags: {},
      },
    ],
  },
  {
    name: "two meters of one service: one line, quantity = the sum of both",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "30.0000", "2023-01"), tariff("maint", "maintenance", "10.0000", "2023-01")],
    houses: {
      h: [
        {
          number: "2",
          area: "30.00",
          meters: [cold("K-1", { "2024-02": "10.5", "2024-03": "13" }), cold("K-2", { "2024-02": "200", "2024-03": "203.25" })],
        },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "2",
            water: "172.50",
            maintenance: "300.00",
            total: "472.50",
            lines: [
              {
                service: "cold_water",
                quantity: "5.750",
                price: "30.0000",
                amount: "172.50",
                flags: [],
                tariff: "cold",
                meters: [
                  actual("K-1", ["2024-02", "10.500"], ["2024-03", "13.000"], "2.500"),
                  actual("K-2", ["2024-02", "200.000"], ["2024-03", "203.250"], "3.250"),
                ],
              },
              maintenance("30.00", "10.0000", "300.00"),
            ],
          },
        ],
        totals: { water: "172.50", maintenance: "300.00", total: "472.50" },
        flags: {},
      },
    ],
  },
  {
    name: "hot and cold water at different prices: a line each, water = their sum",
    switches: NO_WASTEWATER,
    tariffs: [
      tariff("cold", "cold_water", "42.3000", "2023-01"),
      tariff("hot", "hot_water", "205.1500", "2023-01"),
      tariff("maint", "maintenance", "25.0000", "2023-01"),
    ],
    houses: {
      h: [
        {
          number: "3",
          area: "60.00",
          // the hot meter first: lines still come cold, hot, maintenance
          meters: [hot("H-1", { "2024-02": "20", "2024-03": "24" }), cold("C-1", { "2024-02": "50", "2024-03": "56" })],
        },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "3",
            water: "1074.40",
            maintenance: "1500.00",
            total: "2574.40",
            lines: [
              {
                service: "cold_water",
                quantity: "6.000",
                price: "42.3000",
                amount: "253.80",
                flags: [],
                tariff: "cold",
                meters: [actual("C-1", ["2024-02", "50.000"], ["2024-03", "56.000"], "6.000")],
              },
              {
                service: "hot_water",
                quantity: "4.000",
                price: "205.1500",
                amount: "820.60",
                flags: [],
                tariff: "hot",
                meters: [actual("H-1", ["2024-02", "20.000"], ["2024-03", "24.000"], "4.000")],
              },
              maintenance("60.00", "25.0000", "1500.00"),
            ],
          },
        ],
        totals: { water: "1074.40", maintenance: "1500.00", total: "2574.40" },
        flags: {},
      },
    ],
  },
  {
    name: "no meters: maintenance only, no water price needed, not an error",
    switches: NO_WASTEWATER,
    tariffs: [tariff("maint", "maintenance", "31.1000", "2023-01")],
    houses: {
      h: [
        { number: "10", area: "72.30" },
        { number: "11", area: "15.50" },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          { apartment: "10", water: "0.00", maintenance: "2248.53", total: "2248.53", lines: [maintenance("72.30", "31.1000", "2248.53")] },
          { apartment: "11", water: "0.00", maintenance: "482.05", total: "482.05", lines: [maintenance("15.50", "31.1000", "482.05")] },
        ],
        totals: { water: "0.00", maintenance: "2730.58", total: "2730.58" },
        flags: {},
      },
    ],
  },
  {
    name: "January: the previous reading is December of the year before",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: { h: [{ number: "1", area: "40.00", meters: [cold("J-1", { "2023-11": "490", "2023-12": "500", "2024-01": "507.125" })] }] },
    steps: [
      {
        house: "h",
        period: "2024-01",
        invoices: [
          {
            apartment: "1",
            water: "285.00",
            maintenance: "800.00",
            total: "1085.00",
            lines: [
              {
                service: "cold_water",
                quantity: "7.125",
                price: "40.0000",
                amount: "285.00",
                flags: [],
                tariff: "cold",
                meters: [actual("J-1", ["2023-12", "500.000"], ["2024-01", "507.125"], "7.125")],
              },
              maintenance("40.00", "20.0000", "800.00"),
            ],
          },
        ],
        totals: { water: "285.00", maintenance: "800.00", total: "1085.00" },
        flags: {},
      },
    ],
  },
  {
    name: "a gap month: February estimated by the normative (no one registered: 0), March bills everything since January, each m³ once",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: { h: [{ number: "1", area: "20.00", meters: [cold("G-1", { "2024-01": "100", "2024-03": "109" })] }] },
    steps: [
      {
        house: "h",
        period: "2024-02",
        invoices: [
          {
            apartment: "1",
            water: "0.00",
            maintenance: "400.00",
            total: "400.00",
            lines: [
              {
                service: "cold_water",
                quantity: "0.000",
                price: "40.0000",
                amount: "0.00",
                flags: ["estimated_normative"],
                tariff: "cold",
                meters: [nobody("G-1", ["2024-01", "100.000"], 1)],
              },
              maintenance("20.00", "20.0000", "400.00"),
            ],
          },
        ],
        totals: { water: "0.00", maintenance: "400.00", total: "400.00" },
        flags: { estimated_normative: 1 },
      },
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            water: "360.00",
            maintenance: "400.00",
            total: "760.00",
            lines: [
              {
                service: "cold_water",
                quantity: "9.000",
                price: "40.0000",
                amount: "360.00",
                flags: [],
                tariff: "cold",
                meters: [actual("G-1", ["2024-01", "100.000"], ["2024-03", "109.000"], "9.000")],
              },
              maintenance("20.00", "20.0000", "400.00"),
            ],
          },
        ],
        totals: { water: "360.00", maintenance: "400.00", total: "760.00" },
        flags: {},
      },
    ],
  },
  {
    name: "baseline: no earlier reading, consumption 0 and flag no_previous_reading",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: { h: [{ number: "1", area: "25.00", meters: [cold("N-1", { "2024-03": "55" })] }] },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            water: "0.00",
            maintenance: "500.00",
            total: "500.00",
            lines: [
              {
                service: "cold_water",
                quantity: "0.000",
                price: "40.0000",
                amount: "0.00",
                flags: ["no_previous_reading"],
                tariff: "cold",
                meters: [baseline("N-1", ["2024-03", "55.000"])],
              },
              maintenance("25.00", "20.0000", "500.00"),
            ],
          },
        ],
        totals: { water: "0.00", maintenance: "500.00", total: "500.00" },
        flags: { no_previous_reading: 1 },
      },
    ],
  },
  {
    name: "no reading this month, no history for an average, no one registered: the normative gives 0 (also for a meter never read)",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        { number: "1", area: "25.00", meters: [cold("M-1", { "2024-02": "80" })] },
        { number: "2", area: "10.00", meters: [cold("M-2", {})] },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            water: "0.00",
            maintenance: "500.00",
            total: "500.00",
            lines: [
              {
                service: "cold_water",
                quantity: "0.000",
                price: "40.0000",
                amount: "0.00",
                flags: ["estimated_normative"],
                tariff: "cold",
                meters: [nobody("M-1", ["2024-02", "80.000"], 1)],
              },
              maintenance("25.00", "20.0000", "500.00"),
            ],
          },
          {
            apartment: "2",
            water: "0.00",
            maintenance: "200.00",
            total: "200.00",
            lines: [
              {
                service: "cold_water",
                quantity: "0.000",
                price: "40.0000",
                amount: "0.00",
                flags: ["estimated_normative"],
                tariff: "cold",
                meters: [nobody("M-2", null, null)],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "0.00", maintenance: "700.00", total: "700.00" },
        flags: { estimated_normative: 2 },
      },
    ],
  },
  {
    name: "negative consumption (data loaded outside the API): 0 and flag negative_consumption, never negative money",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        {
          number: "1",
          area: "10.00",
          // the negative meter must not eat into the other meter's 4 m³
          meters: [
            cold("D-1", { "2024-02": "300", "2024-03": "290.5" }, { direct: true }),
            cold("D-2", { "2024-02": "10", "2024-03": "14" }),
          ],
        },
        { number: "2", area: "10.00", meters: [cold("D-3", { "2024-02": "50", "2024-03": "49.999" }, { direct: true })] },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            water: "160.00",
            maintenance: "200.00",
            total: "360.00",
            lines: [
              {
                service: "cold_water",
                quantity: "4.000",
                price: "40.0000",
                amount: "160.00",
                flags: ["negative_consumption"],
                tariff: "cold",
                meters: [
                  negative("D-1", ["2024-02", "300.000"], ["2024-03", "290.500"]),
                  actual("D-2", ["2024-02", "10.000"], ["2024-03", "14.000"], "4.000"),
                ],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
          {
            apartment: "2",
            water: "0.00",
            maintenance: "200.00",
            total: "200.00",
            lines: [
              {
                service: "cold_water",
                quantity: "0.000",
                price: "40.0000",
                amount: "0.00",
                flags: ["negative_consumption"],
                tariff: "cold",
                meters: [negative("D-3", ["2024-02", "50.000"], ["2024-03", "49.999"])],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "160.00", maintenance: "400.00", total: "560.00" },
        flags: { negative_consumption: 2 },
      },
    ],
  },
  {
    name: "half-up rounding of water: 3.000 × 0.3350 = 1.005 → 1.01, 0.125 × 1.0000 = 0.125 → 0.13",
    switches: NO_WASTEWATER,
    tariffs: [
      tariff("cold", "cold_water", "0.3350", "2023-01"),
      tariff("hot", "hot_water", "1.0000", "2023-01"),
      tariff("maint", "maintenance", "10.0000", "2023-01"),
    ],
    houses: {
      h: [
        {
          number: "1",
          area: "10.00",
          meters: [cold("R-1", { "2024-02": "10", "2024-03": "13" }), hot("R-2", { "2024-02": "5", "2024-03": "5.125" })],
        },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            // binary floats give 1.00 for 1.005; banker's rounding gives 0.12 for 0.125
            water: "1.14",
            maintenance: "100.00",
            total: "101.14",
            lines: [
              {
                service: "cold_water",
                quantity: "3.000",
                price: "0.3350",
                amount: "1.01",
                flags: [],
                tariff: "cold",
                meters: [actual("R-1", ["2024-02", "10.000"], ["2024-03", "13.000"], "3.000")],
              },
              {
                service: "hot_water",
                quantity: "0.125",
                price: "1.0000",
                amount: "0.13",
                flags: [],
                tariff: "hot",
                meters: [actual("R-2", ["2024-02", "5.000"], ["2024-03", "5.125"], "0.125")],
              },
              maintenance("10.00", "10.0000", "100.00"),
            ],
          },
        ],
        totals: { water: "1.14", maintenance: "100.00", total: "101.14" },
        flags: {},
      },
    ],
  },
  {
    name: "half-up rounding of maintenance: 10.05 × 0.1000 = 1.005 → 1.01, 40.25 × 0.1000 = 4.025 → 4.03",
    switches: NO_WASTEWATER,
    tariffs: [tariff("maint", "maintenance", "0.1000", "2023-01")],
    houses: {
      h: [
        { number: "1", area: "10.05" },
        { number: "2", area: "40.25" },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          { apartment: "1", water: "0.00", maintenance: "1.01", total: "1.01", lines: [maintenance("10.05", "0.1000", "1.01")] },
          { apartment: "2", water: "0.00", maintenance: "4.03", total: "4.03", lines: [maintenance("40.25", "0.1000", "4.03")] },
        ],
        totals: { water: "0.00", maintenance: "5.04", total: "5.04" },
        flags: {},
      },
    ],
  },
  {
    name: "a past month billed while later readings exist: only that month's readings count",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        { number: "1", area: "50.00", meters: [cold("P-1", { "2024-01": "100", "2024-02": "110", "2024-03": "125", "2024-04": "140" })] },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-02",
        invoices: [
          {
            apartment: "1",
            water: "400.00",
            maintenance: "1000.00",
            total: "1400.00",
            lines: [
              {
                service: "cold_water",
                quantity: "10.000",
                price: "40.0000",
                amount: "400.00",
                flags: [],
                tariff: "cold",
                meters: [actual("P-1", ["2024-01", "100.000"], ["2024-02", "110.000"], "10.000")],
              },
              maintenance("50.00", "20.0000", "1000.00"),
            ],
          },
        ],
        totals: { water: "400.00", maintenance: "1000.00", total: "1400.00" },
        flags: {},
      },
    ],
  },
  {
    name: "house-specific vs workspace tariff: the house's own price wins, even an older one; other houses pay the default",
    switches: NO_WASTEWATER,
    tariffs: [
      tariff("ws-cold", "cold_water", "40.0000", "2023-01"),
      tariff("ws-maint", "maintenance", "20.0000", "2024-02"),
      tariff("own-maint", "maintenance", "25.0000", "2024-01", "own"),
      tariff("own-cold", "cold_water", "45.0000", "2024-03", "own"),
      // not yet in force in March: must not be picked
      tariff("own-cold-later", "cold_water", "99.0000", "2024-04", "own"),
    ],
    houses: {
      own: [{ number: "1", area: "10.00", meters: [cold("O-1", { "2024-02": "1", "2024-03": "3" })] }],
      plain: [{ number: "1", area: "10.00", meters: [cold("W-1", { "2024-02": "1", "2024-03": "3" })] }],
    },
    steps: [
      {
        house: "own",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            water: "90.00",
            maintenance: "250.00",
            total: "340.00",
            lines: [
              {
                service: "cold_water",
                quantity: "2.000",
                price: "45.0000",
                amount: "90.00",
                flags: [],
                tariff: "own-cold",
                meters: [actual("O-1", ["2024-02", "1.000"], ["2024-03", "3.000"], "2.000")],
              },
              maintenance("10.00", "25.0000", "250.00", "own-maint"),
            ],
          },
        ],
        totals: { water: "90.00", maintenance: "250.00", total: "340.00" },
        flags: {},
      },
      {
        house: "plain",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            water: "80.00",
            maintenance: "200.00",
            total: "280.00",
            lines: [
              {
                service: "cold_water",
                quantity: "2.000",
                price: "40.0000",
                amount: "80.00",
                flags: [],
                tariff: "ws-cold",
                meters: [actual("W-1", ["2024-02", "1.000"], ["2024-03", "3.000"], "2.000")],
              },
              maintenance("10.00", "20.0000", "200.00", "ws-maint"),
            ],
          },
        ],
        totals: { water: "80.00", maintenance: "200.00", total: "280.00" },
        flags: {},
      },
    ],
  },
  {
    name: "a price change between months: each month is billed at its own price, in any order",
    switches: NO_WASTEWATER,
    tariffs: [
      tariff("cold-jan", "cold_water", "40.0000", "2024-01"),
      tariff("cold-mar", "cold_water", "50.0000", "2024-03"),
      tariff("maint-jan", "maintenance", "20.0000", "2024-01"),
      tariff("maint-mar", "maintenance", "22.0000", "2024-03"),
    ],
    houses: { h: [{ number: "1", area: "50.00", meters: [cold("T-1", { "2024-01": "100", "2024-02": "110", "2024-03": "125" })] }] },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            water: "750.00",
            maintenance: "1100.00",
            total: "1850.00",
            lines: [
              {
                service: "cold_water",
                quantity: "15.000",
                price: "50.0000",
                amount: "750.00",
                flags: [],
                tariff: "cold-mar",
                meters: [actual("T-1", ["2024-02", "110.000"], ["2024-03", "125.000"], "15.000")],
              },
              maintenance("50.00", "22.0000", "1100.00", "maint-mar"),
            ],
          },
        ],
        totals: { water: "750.00", maintenance: "1100.00", total: "1850.00" },
        flags: {},
      },
      {
        house: "h",
        period: "2024-02",
        invoices: [
          {
            apartment: "1",
            water: "400.00",
            maintenance: "1000.00",
            total: "1400.00",
            lines: [
              {
                service: "cold_water",
                quantity: "10.000",
                price: "40.0000",
                amount: "400.00",
                flags: [],
                tariff: "cold-jan",
                meters: [actual("T-1", ["2024-01", "100.000"], ["2024-02", "110.000"], "10.000")],
              },
              maintenance("50.00", "20.0000", "1000.00", "maint-jan"),
            ],
          },
        ],
        totals: { water: "400.00", maintenance: "1000.00", total: "1400.00" },
        flags: {},
      },
    ],
  },
  {
    name: "run summary over several chunks: totals and flag counts are the sums of the invoices",
    switches: NO_WASTEWATER,
    chunkSize: 2,
    tariffs: [
      tariff("cold", "cold_water", "40.0000", "2023-01"),
      tariff("hot", "hot_water", "200.0000", "2023-01"),
      tariff("maint", "maintenance", "20.0000", "2023-01"),
    ],
    houses: {
      h: [
        { number: "1", area: "30.00", meters: [cold("S-1", { "2024-02": "10", "2024-03": "15" }), hot("S-2", { "2024-03": "7" })] },
        { number: "2", area: "45.50", meters: [cold("S-3", { "2024-02": "20" }), hot("S-4", { "2024-02": "3", "2024-03": "4.5" })] },
        { number: "3", area: "60.00", meters: [cold("S-5", { "2024-02": "100", "2024-03": "90" }, { direct: true })] },
        { number: "4", area: "20.00" },
        { number: "5", area: "33.33", meters: [cold("S-6", { "2024-02": "1.111", "2024-03": "2.222" })] },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            water: "200.00",
            maintenance: "600.00",
            total: "800.00",
            lines: [
              {
                service: "cold_water",
                quantity: "5.000",
                price: "40.0000",
                amount: "200.00",
                flags: [],
                tariff: "cold",
                meters: [actual("S-1", ["2024-02", "10.000"], ["2024-03", "15.000"], "5.000")],
              },
              {
                service: "hot_water",
                quantity: "0.000",
                price: "200.0000",
                amount: "0.00",
                flags: ["no_previous_reading"],
                tariff: "hot",
                meters: [baseline("S-2", ["2024-03", "7.000"])],
              },
              maintenance("30.00", "20.0000", "600.00"),
            ],
          },
          {
            apartment: "2",
            water: "300.00",
            maintenance: "910.00",
            total: "1210.00",
            lines: [
              {
                service: "cold_water",
                quantity: "0.000",
                price: "40.0000",
                amount: "0.00",
                flags: ["estimated_normative"],
                tariff: "cold",
                meters: [nobody("S-3", ["2024-02", "20.000"], 1)],
              },
              {
                service: "hot_water",
                quantity: "1.500",
                price: "200.0000",
                amount: "300.00",
                flags: [],
                tariff: "hot",
                meters: [actual("S-4", ["2024-02", "3.000"], ["2024-03", "4.500"], "1.500")],
              },
              maintenance("45.50", "20.0000", "910.00"),
            ],
          },
          {
            apartment: "3",
            water: "0.00",
            maintenance: "1200.00",
            total: "1200.00",
            lines: [
              {
                service: "cold_water",
                quantity: "0.000",
                price: "40.0000",
                amount: "0.00",
                flags: ["negative_consumption"],
                tariff: "cold",
                meters: [negative("S-5", ["2024-02", "100.000"], ["2024-03", "90.000"])],
              },
              maintenance("60.00", "20.0000", "1200.00"),
            ],
          },
          { apartment: "4", water: "0.00", maintenance: "400.00", total: "400.00", lines: [maintenance("20.00", "20.0000", "400.00")] },
          {
            apartment: "5",
            water: "44.44",
            maintenance: "666.60",
            total: "711.04",
            lines: [
              {
                service: "cold_water",
                quantity: "1.111",
                price: "40.0000",
                amount: "44.44",
                flags: [],
                tariff: "cold",
                meters: [actual("S-6", ["2024-02", "1.111"], ["2024-03", "2.222"], "1.111")],
              },
              maintenance("33.33", "20.0000", "666.60"),
            ],
          },
        ],
        totals: { water: "544.44", maintenance: "3776.60", total: "4321.04" },
        flags: { no_previous_reading: 1, estimated_normative: 1, negative_consumption: 1 },
      },
    ],
  },
  // ---- estimates, true-ups, verification, wastewater, other bases (Правила № 354, пп. 42, 59, 60, 81(12)) ----
  {
    name: "the average over the window L−6 … L: 3, 4, 6 and 8 months between the first and the last reading (k = 1)",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        // n = May − Feb = 3: (112.400 − 100.000) / 3 = 4.1333… → 4.133
        {
          number: "1",
          area: "10.00",
          meters: [cold("AV-3", { "2024-02": "100", "2024-03": "104", "2024-04": "107", "2024-05": "112.4" })],
        },
        // n = May − Jan = 4: (60.002 − 50.000) / 4 = 2.5005 → 2.501 (half-up; banker's rounding would give 2.500)
        { number: "2", area: "10.00", meters: [cold("AV-4", { "2024-01": "50", "2024-03": "55", "2024-05": "60.002" })] },
        // n = May − Nov = 6: (218 − 200) / 6 = 3.000
        { number: "3", area: "10.00", meters: [cold("AV-6", { "2023-11": "200", "2024-02": "209", "2024-05": "218" })] },
        // 8 months of readings, the window is Nov … May: R0 = Nov (310), n = 6: 19 / 6 = 3.1666… → 3.167
        // (over all 8 months it would be 29 / 8 = 3.625)
        {
          number: "4",
          area: "10.00",
          meters: [cold("AV-8", { "2023-09": "300", "2023-10": "304", "2023-11": "310", "2024-01": "316", "2024-05": "329" })],
        },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-06",
        invoices: [
          {
            apartment: "1",
            // 4.133 × 40 = 165.32
            water: "165.32",
            maintenance: "200.00",
            total: "365.32",
            lines: [
              {
                service: "cold_water",
                quantity: "4.133",
                price: "40.0000",
                amount: "165.32",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("AV-3", ["2024-05", "112.400"], "4.133", { from: ["2024-02", "100.000"], months: 3, missing: 1 })],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
          {
            apartment: "2",
            // 2.501 × 40 = 100.04
            water: "100.04",
            maintenance: "200.00",
            total: "300.04",
            lines: [
              {
                service: "cold_water",
                quantity: "2.501",
                price: "40.0000",
                amount: "100.04",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("AV-4", ["2024-05", "60.002"], "2.501", { from: ["2024-01", "50.000"], months: 4, missing: 1 })],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
          {
            apartment: "3",
            water: "120.00",
            maintenance: "200.00",
            total: "320.00",
            lines: [
              {
                service: "cold_water",
                quantity: "3.000",
                price: "40.0000",
                amount: "120.00",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("AV-6", ["2024-05", "218.000"], "3.000", { from: ["2023-11", "200.000"], months: 6, missing: 1 })],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
          {
            apartment: "4",
            // 3.167 × 40 = 126.68
            water: "126.68",
            maintenance: "200.00",
            total: "326.68",
            lines: [
              {
                service: "cold_water",
                quantity: "3.167",
                price: "40.0000",
                amount: "126.68",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("AV-8", ["2024-05", "329.000"], "3.167", { from: ["2023-11", "310.000"], months: 6, missing: 1 })],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "512.04", maintenance: "800.00", total: "1312.04" },
        flags: { estimated_average: 4 },
      },
    ],
  },
  {
    name: "fewer than 3 months of readings: the normative, residents × normative to 0.001; no one registered: 0, no normative needed",
    switches: NO_WASTEWATER,
    tariffs: [
      tariff("cold", "cold_water", "40.0000", "2023-01"),
      tariff("hot", "hot_water", "200.0000", "2023-01"),
      tariff("maint", "maintenance", "20.0000", "2023-01"),
    ],
    // a cold-water normative only: the hot meter below needs none
    normatives: [{ key: "n-cold", service: "cold_water", value: "3.4675", valid_from: "2023-01" }],
    houses: {
      h: [
        // R0 = Apr, L = May: n = 1 < 3, no average; 2 × 3.4675 = 6.935
        { number: "1", area: "40.00", residents: 2, meters: [cold("NR-1", { "2024-04": "10", "2024-05": "14" })] },
        { number: "2", area: "30.00", residents: 0, meters: [hot("NR-2", { "2024-05": "5" })] },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-06",
        invoices: [
          {
            apartment: "1",
            // 6.935 × 40 = 277.40
            water: "277.40",
            maintenance: "800.00",
            total: "1077.40",
            lines: [
              {
                service: "cold_water",
                quantity: "6.935",
                price: "40.0000",
                amount: "277.40",
                flags: ["estimated_normative"],
                tariff: "cold",
                meters: [normative("NR-1", ["2024-05", "14.000"], "6.935", { residents: 2, key: "n-cold", missing: 1 })],
              },
              maintenance("40.00", "20.0000", "800.00"),
            ],
          },
          {
            apartment: "2",
            water: "0.00",
            maintenance: "600.00",
            total: "600.00",
            lines: [
              {
                service: "hot_water",
                quantity: "0.000",
                price: "200.0000",
                amount: "0.00",
                flags: ["estimated_normative"],
                tariff: "hot",
                meters: [nobody("NR-2", ["2024-05", "5.000"], 1)],
              },
              maintenance("30.00", "20.0000", "600.00"),
            ],
          },
        ],
        totals: { water: "277.40", maintenance: "1400.00", total: "1677.40" },
        flags: { estimated_normative: 2 },
      },
    ],
  },
  {
    name: "three months by the average, the 4th by the normative, then the reading trues them all up (positive, mixed)",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    normatives: [{ key: "n-cold", service: "cold_water", value: "2.5000", valid_from: "2023-01" }],
    houses: {
      // L = Apr (109.000) throughout May–Aug: an estimated month is no basis; R0 = Jan, n = 3: (109 − 100) / 3 = 3.000
      h: [
        {
          number: "1",
          area: "20.00",
          residents: 1,
          meters: [cold("TU-1", { "2024-01": "100", "2024-02": "103", "2024-03": "106", "2024-04": "109", "2024-09": "125" })],
        },
      ],
    },
    steps: [
      ...(["2024-05", "2024-06", "2024-07"] as const).map((period, i): Bill => ({
        house: "h",
        period,
        invoices: [
          {
            apartment: "1",
            // 3.000 × 40 = 120.00; 20 m² × 20 = 400.00
            water: "120.00",
            maintenance: "400.00",
            total: "520.00",
            lines: [
              {
                service: "cold_water",
                quantity: "3.000",
                price: "40.0000",
                amount: "120.00",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("TU-1", ["2024-04", "109.000"], "3.000", { from: ["2024-01", "100.000"], months: 3, missing: i + 1 })],
              },
              maintenance("20.00", "20.0000", "400.00"),
            ],
          },
        ],
        totals: { water: "120.00", maintenance: "400.00", total: "520.00" },
        flags: { estimated_average: 1 },
      })),
      {
        // k = Aug − Apr = 4 > 3: the normative, 1 × 2.5000 = 2.500; × 40 = 100.00
        house: "h",
        period: "2024-08",
        invoices: [
          {
            apartment: "1",
            water: "100.00",
            maintenance: "400.00",
            total: "500.00",
            lines: [
              {
                service: "cold_water",
                quantity: "2.500",
                price: "40.0000",
                amount: "100.00",
                flags: ["estimated_normative"],
                tariff: "cold",
                meters: [normative("TU-1", ["2024-04", "109.000"], "2.500", { residents: 1, key: "n-cold", missing: 4 })],
              },
              maintenance("20.00", "20.0000", "400.00"),
            ],
          },
        ],
        totals: { water: "100.00", maintenance: "400.00", total: "500.00" },
        flags: { estimated_normative: 1 },
      },
      {
        // actual 125 − 109 = 16.000, E = 3 + 3 + 3 + 2.5 = 11.500 over 4 months: 4.500 × 40 = 180.00,
        // of which the recalculation round(−11.5 × 40, 2) = −460.00 and the month's charge 640.00 (16 × 40)
        house: "h",
        period: "2024-09",
        invoices: [
          {
            apartment: "1",
            water: "180.00",
            maintenance: "400.00",
            total: "580.00",
            lines: [
              {
                service: "cold_water",
                quantity: "4.500",
                price: "40.0000",
                amount: "180.00",
                flags: ["true_up"],
                tariff: "cold",
                meters: [
                  trueUp("TU-1", ["2024-04", "109.000"], ["2024-09", "125.000"], "4.500", {
                    actual: "16.000",
                    estimated: "11.500",
                    months: 4,
                    by: "mixed",
                  }),
                ],
                trueUp: { estimated: "11.500", recalculation: "-460.00", charge: "640.00" },
              },
              maintenance("20.00", "20.0000", "400.00"),
            ],
          },
        ],
        totals: { water: "180.00", maintenance: "400.00", total: "580.00" },
        flags: { true_up: 1 },
      },
    ],
  },
  {
    name: "a true-up below the estimate: a credit, on the cold water line and on the wastewater line",
    tariffs: [
      tariff("cold", "cold_water", "40.0000", "2023-01"),
      tariff("waste", "wastewater", "30.0000", "2023-01"),
      tariff("maint", "maintenance", "20.0000", "2023-01"),
    ],
    houses: {
      // May: L = Apr (130), R0 = Jan, n = 3: (130 − 100) / 3 = 10.000
      h: [
        {
          number: "1",
          area: "50.00",
          meters: [cold("CR-1", { "2024-01": "100", "2024-02": "110", "2024-03": "120", "2024-04": "130", "2024-06": "131" })],
        },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-05",
        invoices: [
          {
            apartment: "1",
            // cold 10 × 40 = 400.00, wastewater 10 × 30 = 300.00
            water: "700.00",
            maintenance: "1000.00",
            total: "1700.00",
            lines: [
              {
                service: "cold_water",
                quantity: "10.000",
                price: "40.0000",
                amount: "400.00",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("CR-1", ["2024-04", "130.000"], "10.000", { from: ["2024-01", "100.000"], months: 3, missing: 1 })],
              },
              {
                service: "wastewater",
                quantity: "10.000",
                price: "30.0000",
                amount: "300.00",
                flags: ["estimated_average"],
                tariff: "waste",
                meters: [average("CR-1", ["2024-04", "130.000"], "10.000", { from: ["2024-01", "100.000"], months: 3, missing: 1 })],
              },
              maintenance("50.00", "20.0000", "1000.00"),
            ],
          },
        ],
        totals: { water: "700.00", maintenance: "1000.00", total: "1700.00" },
        flags: { estimated_average: 1 },
      },
      {
        // actual 131 − 130 = 1.000, E = 10.000: −9.000. Cold −9 × 40 = −360.00 = recalculation −400.00 + charge 40.00;
        // wastewater −9 × 30 = −270.00 = −300.00 + 30.00; water −630.00, total 370.00
        house: "h",
        period: "2024-06",
        invoices: [
          {
            apartment: "1",
            water: "-630.00",
            maintenance: "1000.00",
            total: "370.00",
            lines: [
              {
                service: "cold_water",
                quantity: "-9.000",
                price: "40.0000",
                amount: "-360.00",
                flags: ["true_up"],
                tariff: "cold",
                meters: [
                  trueUp("CR-1", ["2024-04", "130.000"], ["2024-06", "131.000"], "-9.000", {
                    actual: "1.000",
                    estimated: "10.000",
                    months: 1,
                    by: "average",
                  }),
                ],
                trueUp: { estimated: "10.000", recalculation: "-400.00", charge: "40.00" },
              },
              {
                service: "wastewater",
                quantity: "-9.000",
                price: "30.0000",
                amount: "-270.00",
                flags: ["true_up"],
                tariff: "waste",
                meters: [
                  trueUp("CR-1", ["2024-04", "130.000"], ["2024-06", "131.000"], "-9.000", {
                    actual: "1.000",
                    estimated: "10.000",
                    months: 1,
                    by: "average",
                  }),
                ],
                trueUp: { estimated: "10.000", recalculation: "-300.00", charge: "30.00" },
              },
              maintenance("50.00", "20.0000", "1000.00"),
            ],
          },
        ],
        totals: { water: "-630.00", maintenance: "1000.00", total: "370.00" },
        flags: { true_up: 1 },
      },
    ],
  },
  {
    name: "a verification expiring mid-history: later readings are not used; valid through the month's last day is enough",
    switches: NO_WASTEWATER,
    tariffs: [
      tariff("cold", "cold_water", "40.0000", "2023-01"),
      tariff("hot", "hot_water", "200.0000", "2023-01"),
      tariff("maint", "maintenance", "20.0000", "2023-01"),
    ],
    houses: {
      h: [
        {
          number: "1",
          area: "30.00",
          meters: [
            // valid until 2024-04-20: March is the last month it covers whole. L = Mar (106; April's 109 is not usable),
            // k = 2; R0 = Dec (97), n = 3: (106 − 97) / 3 = 3.000
            cold(
              "VE-1",
              { "2023-12": "97", "2024-01": "100", "2024-02": "103", "2024-03": "106", "2024-04": "109", "2024-05": "112" },
              { verified_until: "2024-04-20" },
            ),
            // valid until 2024-05-31, May's last day: May's reading counts
            hot("VE-2", { "2024-04": "20", "2024-05": "22" }, { verified_until: "2024-05-31" }),
          ],
        },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-05",
        invoices: [
          {
            apartment: "1",
            // cold 3 × 40 = 120.00; hot 2 × 200 = 400.00
            water: "520.00",
            maintenance: "600.00",
            total: "1120.00",
            lines: [
              {
                service: "cold_water",
                quantity: "3.000",
                price: "40.0000",
                amount: "120.00",
                flags: ["verification_expired", "estimated_average"],
                tariff: "cold",
                meters: [
                  average(
                    "VE-1",
                    ["2024-03", "106.000"],
                    "3.000",
                    { from: ["2023-12", "97.000"], months: 3, missing: 2 },
                    { flags: ["estimated_average", "verification_expired"], verifiedUntil: "2024-04-20" },
                  ),
                ],
              },
              {
                service: "hot_water",
                quantity: "2.000",
                price: "200.0000",
                amount: "400.00",
                flags: [],
                tariff: "hot",
                meters: [actual("VE-2", ["2024-04", "20.000"], ["2024-05", "22.000"], "2.000")],
              },
              maintenance("30.00", "20.0000", "600.00"),
            ],
          },
        ],
        totals: { water: "520.00", maintenance: "600.00", total: "1120.00" },
        flags: { estimated_average: 1, verification_expired: 1 },
      },
    ],
  },
  {
    name: "wastewater: the cold and hot volumes as billed, one estimated by the average and one read; none without meters",
    tariffs: [
      tariff("cold", "cold_water", "40.0000", "2023-01"),
      tariff("hot", "hot_water", "200.0000", "2023-01"),
      tariff("waste", "wastewater", "30.0000", "2023-01"),
      tariff("maint", "maintenance", "20.0000", "2023-01"),
    ],
    houses: {
      h: [
        {
          number: "1",
          area: "40.00",
          // cold: L = Apr (16), R0 = Jan, n = 3: 6 / 3 = 2.000; hot: 6.250 − 5.000 = 1.250
          meters: [
            cold("WW-1", { "2024-01": "10", "2024-02": "12", "2024-03": "14", "2024-04": "16" }),
            hot("WW-2", { "2024-04": "5", "2024-05": "6.25" }),
          ],
        },
        { number: "2", area: "20.00" },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-05",
        invoices: [
          {
            apartment: "1",
            // cold 2 × 40 = 80.00, hot 1.25 × 200 = 250.00, wastewater (2 + 1.25) × 30 = 97.50
            water: "427.50",
            maintenance: "800.00",
            total: "1227.50",
            lines: [
              {
                service: "cold_water",
                quantity: "2.000",
                price: "40.0000",
                amount: "80.00",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("WW-1", ["2024-04", "16.000"], "2.000", { from: ["2024-01", "10.000"], months: 3, missing: 1 })],
              },
              {
                service: "hot_water",
                quantity: "1.250",
                price: "200.0000",
                amount: "250.00",
                flags: [],
                tariff: "hot",
                meters: [actual("WW-2", ["2024-04", "5.000"], ["2024-05", "6.250"], "1.250")],
              },
              {
                service: "wastewater",
                quantity: "3.250",
                price: "30.0000",
                amount: "97.50",
                flags: ["estimated_average"],
                tariff: "waste",
                meters: [
                  average("WW-1", ["2024-04", "16.000"], "2.000", { from: ["2024-01", "10.000"], months: 3, missing: 1 }),
                  actual("WW-2", ["2024-04", "5.000"], ["2024-05", "6.250"], "1.250"),
                ],
              },
              maintenance("40.00", "20.0000", "800.00"),
            ],
          },
          { apartment: "2", water: "0.00", maintenance: "400.00", total: "400.00", lines: [maintenance("20.00", "20.0000", "400.00")] },
        ],
        totals: { water: "427.50", maintenance: "1200.00", total: "1627.50" },
        flags: { estimated_average: 1 },
      },
    ],
  },
  {
    name: "services by area, per resident and per apartment; switched off for one house, or for all after being priced",
    services: [
      { code: "heating", name_ru: "Отопление", name_en: "Heating", basis: "area" },
      { code: "solid_waste", name_ru: "Обращение с ТКО", name_en: "Solid waste", basis: "residents" },
      { code: "intercom", name_ru: "Домофон", name_en: "Intercom", basis: "apartment" },
      { code: "capital_repair", name_ru: "Взнос на капремонт", name_en: "Capital repair", basis: "area" },
      { code: "concierge", name_ru: "Консьерж", name_en: "Concierge", basis: "apartment" },
    ],
    tariffs: [
      tariff("maint", "maintenance", "20.0000", "2023-01"),
      tariff("heat", "heating", "35.1234", "2023-01"),
      tariff("tko", "solid_waste", "110.5000", "2023-01"),
      tariff("intercom", "intercom", "55.0000", "2023-01"),
      tariff("repair", "capital_repair", "12.3400", "2023-01"),
      tariff("concierge", "concierge", "99.0000", "2023-01"),
    ],
    switches: [
      { service: "capital_repair", off: ["h"] },
      { service: "concierge", active: false },
    ],
    houses: {
      h: [
        { number: "1", area: "45.67", residents: 3 },
        { number: "2", area: "30.00", residents: 0 },
      ],
      g: [{ number: "1", area: "10.00", residents: 1 }],
    },
    steps: [
      {
        house: "h",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            // 45.67 × 20 = 913.40; 45.67 × 35.1234 = 1604.085678 → 1604.09; 3 × 110.5 = 331.50; 55.00
            water: "0.00",
            maintenance: "2903.99",
            total: "2903.99",
            lines: [
              maintenance("45.67", "20.0000", "913.40"),
              { service: "heating", quantity: "45.67", price: "35.1234", amount: "1604.09", flags: [], tariff: "heat", area: "45.67" },
              { service: "solid_waste", quantity: "3", price: "110.5000", amount: "331.50", flags: [], tariff: "tko", residents: 3 },
              { service: "intercom", quantity: "1", price: "55.0000", amount: "55.00", flags: [], tariff: "intercom" },
            ],
          },
          {
            apartment: "2",
            // 600.00; 30 × 35.1234 = 1053.702 → 1053.70; 0 × 110.5 = 0.00; 55.00
            water: "0.00",
            maintenance: "1708.70",
            total: "1708.70",
            lines: [
              maintenance("30.00", "20.0000", "600.00"),
              { service: "heating", quantity: "30.00", price: "35.1234", amount: "1053.70", flags: [], tariff: "heat", area: "30.00" },
              { service: "solid_waste", quantity: "0", price: "110.5000", amount: "0.00", flags: [], tariff: "tko", residents: 0 },
              { service: "intercom", quantity: "1", price: "55.0000", amount: "55.00", flags: [], tariff: "intercom" },
            ],
          },
        ],
        totals: { water: "0.00", maintenance: "4612.69", total: "4612.69" },
        flags: {},
      },
      {
        house: "g",
        period: "2024-03",
        invoices: [
          {
            apartment: "1",
            // 200.00; 10 × 35.1234 = 351.234 → 351.23; 110.50; 55.00; capital repair 10 × 12.34 = 123.40
            water: "0.00",
            maintenance: "840.13",
            total: "840.13",
            lines: [
              maintenance("10.00", "20.0000", "200.00"),
              { service: "heating", quantity: "10.00", price: "35.1234", amount: "351.23", flags: [], tariff: "heat", area: "10.00" },
              { service: "solid_waste", quantity: "1", price: "110.5000", amount: "110.50", flags: [], tariff: "tko", residents: 1 },
              { service: "intercom", quantity: "1", price: "55.0000", amount: "55.00", flags: [], tariff: "intercom" },
              {
                service: "capital_repair",
                quantity: "10.00",
                price: "12.3400",
                amount: "123.40",
                flags: [],
                tariff: "repair",
                area: "10.00",
              },
            ],
          },
        ],
        totals: { water: "0.00", maintenance: "840.13", total: "840.13" },
        flags: {},
      },
    ],
  },
  {
    name: "a missing normative fails the run before any invoice; with the normative added the month bills",
    switches: NO_WASTEWATER,
    tariffs: [
      tariff("cold", "cold_water", "40.0000", "2023-01"),
      tariff("hot", "hot_water", "200.0000", "2023-01"),
      tariff("maint", "maintenance", "20.0000", "2023-01"),
    ],
    houses: {
      h: [
        // n = 0: no average; 2 persons registered: the normative is needed
        { number: "1", area: "40.00", residents: 2, meters: [cold("MN-1", { "2024-05": "10" })] },
        // never read, no one registered: 0, no hot-water normative needed
        { number: "2", area: "10.00", residents: 0, meters: [hot("MN-2", {})] },
      ],
    },
    steps: [
      ...NO_COLD_NORMATIVE_UNTIL_ADDED,
      {
        house: "h",
        period: "2024-06",
        invoices: [
          {
            apartment: "1",
            // 2 × 3.0000 = 6.000 × 40 = 240.00
            water: "240.00",
            maintenance: "800.00",
            total: "1040.00",
            lines: [
              {
                service: "cold_water",
                quantity: "6.000",
                price: "40.0000",
                amount: "240.00",
                flags: ["estimated_normative"],
                tariff: "cold",
                meters: [normative("MN-1", ["2024-05", "10.000"], "6.000", { residents: 2, key: "n-cold", missing: 1 })],
              },
              maintenance("40.00", "20.0000", "800.00"),
            ],
          },
          {
            apartment: "2",
            water: "0.00",
            maintenance: "200.00",
            total: "200.00",
            lines: [
              {
                service: "hot_water",
                quantity: "0.000",
                price: "200.0000",
                amount: "0.00",
                flags: ["estimated_normative"],
                tariff: "hot",
                meters: [nobody("MN-2", null, null)],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "240.00", maintenance: "1000.00", total: "1240.00" },
        flags: { estimated_normative: 2 },
      },
    ],
  },
  {
    // Wastewater sums the cold and hot volumes as billed (п. 42), estimates included: with cold
    // water itself not billed, a cold meter to estimate still needs the cold-water normative.
    name: "wastewater alone needs the normative of the meters it sums: the run fails without it, then bills the estimate",
    switches: [{ service: "cold_water", active: false }],
    tariffs: [tariff("waste", "wastewater", "30.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      // n = 0: no average; 2 persons registered: the normative is needed
      h: [{ number: "1", area: "40.00", residents: 2, meters: [cold("WN-1", { "2024-05": "10" })] }],
    },
    steps: [
      ...NO_COLD_NORMATIVE_UNTIL_ADDED,
      {
        house: "h",
        period: "2024-06",
        invoices: [
          {
            apartment: "1",
            // 2 × 3.0000 = 6.000 m³ × 30 = 180.00; maintenance 40 × 20 = 800.00; no cold water line
            water: "180.00",
            maintenance: "800.00",
            total: "980.00",
            lines: [
              {
                service: "wastewater",
                quantity: "6.000",
                price: "30.0000",
                amount: "180.00",
                flags: ["estimated_normative"],
                tariff: "waste",
                meters: [normative("WN-1", ["2024-05", "10.000"], "6.000", { residents: 2, key: "n-cold", missing: 1 })],
              },
              maintenance("40.00", "20.0000", "800.00"),
            ],
          },
        ],
        totals: { water: "180.00", maintenance: "800.00", total: "980.00" },
        flags: { estimated_normative: 1 },
      },
    ],
  },
  {
    name: "a month with an estimate billed twice gives the same invoice",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        { number: "1", area: "10.00", meters: [cold("RB-1", { "2024-01": "100", "2024-02": "104", "2024-03": "108", "2024-04": "112" })] },
      ],
    },
    steps: [1, 2].map((): Bill => ({
      house: "h",
      period: "2024-05",
      invoices: [
        {
          apartment: "1",
          // (112 − 100) / 3 = 4.000 × 40 = 160.00
          water: "160.00",
          maintenance: "200.00",
          total: "360.00",
          lines: [
            {
              service: "cold_water",
              quantity: "4.000",
              price: "40.0000",
              amount: "160.00",
              flags: ["estimated_average"],
              tariff: "cold",
              meters: [average("RB-1", ["2024-04", "112.000"], "4.000", { from: ["2024-01", "100.000"], months: 3, missing: 1 })],
            },
            maintenance("10.00", "20.0000", "200.00"),
          ],
        },
      ],
      totals: { water: "160.00", maintenance: "200.00", total: "360.00" },
      flags: { estimated_average: 1 },
    })),
  },
  {
    name: "a reading entered late for a month billed by the average: the next month's true-up catches it, nothing lost",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        {
          number: "1",
          area: "10.00",
          meters: [cold("LR-1", { "2024-01": "100", "2024-02": "104", "2024-03": "108", "2024-04": "112", "2024-06": "121" })],
        },
      ],
    },
    steps: [
      {
        // L = Mar (the latest reading; nothing billed before): 112 − 108 = 4.000 × 40 = 160.00
        house: "h",
        period: "2024-04",
        invoices: [
          {
            apartment: "1",
            water: "160.00",
            maintenance: "200.00",
            total: "360.00",
            lines: [
              {
                service: "cold_water",
                quantity: "4.000",
                price: "40.0000",
                amount: "160.00",
                flags: [],
                tariff: "cold",
                meters: [actual("LR-1", ["2024-03", "108.000"], ["2024-04", "112.000"], "4.000")],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "160.00", maintenance: "200.00", total: "360.00" },
        flags: {},
      },
      {
        house: "h",
        period: "2024-05",
        invoices: [
          {
            apartment: "1",
            // (112 − 100) / 3 = 4.000 × 40 = 160.00
            water: "160.00",
            maintenance: "200.00",
            total: "360.00",
            // May's own reading arrives after it was billed: the draft is out of date (the June true-up bills it)
            outOfDateAtEnd: ["reading"],
            lines: [
              {
                service: "cold_water",
                quantity: "4.000",
                price: "40.0000",
                amount: "160.00",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("LR-1", ["2024-04", "112.000"], "4.000", { from: ["2024-01", "100.000"], months: 3, missing: 1 })],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "160.00", maintenance: "200.00", total: "360.00" },
        flags: { estimated_average: 1 },
      },
      // May's reading arrives after May was billed
      { reading: { serial: "LR-1", period: "2024-05", value: "118" } },
      {
        // L is still Apr, the last month billed on a reading (May was billed by an estimate): (121 − 112) − 4.000 = 5.000 × 40 = 200.00,
        // recalculation round(−4 × 40, 2) = −160.00, charge 360.00; May 4 + June 5 = 9 = 121 − 112
        house: "h",
        period: "2024-06",
        invoices: [
          {
            apartment: "1",
            water: "200.00",
            maintenance: "200.00",
            total: "400.00",
            lines: [
              {
                service: "cold_water",
                quantity: "5.000",
                price: "40.0000",
                amount: "200.00",
                flags: ["true_up"],
                tariff: "cold",
                meters: [
                  trueUp("LR-1", ["2024-04", "112.000"], ["2024-06", "121.000"], "5.000", {
                    actual: "9.000",
                    estimated: "4.000",
                    months: 1,
                    by: "average",
                  }),
                ],
                trueUp: { estimated: "4.000", recalculation: "-160.00", charge: "360.00" },
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "200.00", maintenance: "200.00", total: "400.00" },
        flags: { true_up: 1 },
      },
      {
        // June, billed on its reading, is the basis now: L = Jun (121), R0 = Jan (window Dec … Jun), n = 5:
        // (121 − 100) / 5 = 4.200 × 40 = 168.00
        house: "h",
        period: "2024-07",
        invoices: [
          {
            apartment: "1",
            water: "168.00",
            maintenance: "200.00",
            total: "368.00",
            lines: [
              {
                service: "cold_water",
                quantity: "4.200",
                price: "40.0000",
                amount: "168.00",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("LR-1", ["2024-06", "121.000"], "4.200", { from: ["2024-01", "100.000"], months: 5, missing: 1 })],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "168.00", maintenance: "200.00", total: "368.00" },
        flags: { estimated_average: 1 },
      },
    ],
  },
  {
    name: "no month billed on a reading yet: the basis is the last reading before the first estimate, so a late reading is trued up too",
    switches: NO_WASTEWATER,
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        {
          number: "1",
          area: "10.00",
          meters: [cold("LF-1", { "2024-01": "100", "2024-02": "104", "2024-03": "108", "2024-04": "112", "2024-06": "121" })],
        },
      ],
    },
    steps: [
      {
        house: "h",
        period: "2024-05",
        invoices: [
          {
            apartment: "1",
            // (112 − 100) / 3 = 4.000 × 40 = 160.00
            water: "160.00",
            maintenance: "200.00",
            total: "360.00",
            // May's own reading arrives after it was billed: the draft is out of date (the June true-up bills it)
            outOfDateAtEnd: ["reading"],
            lines: [
              {
                service: "cold_water",
                quantity: "4.000",
                price: "40.0000",
                amount: "160.00",
                flags: ["estimated_average"],
                tariff: "cold",
                meters: [average("LF-1", ["2024-04", "112.000"], "4.000", { from: ["2024-01", "100.000"], months: 3, missing: 1 })],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "160.00", maintenance: "200.00", total: "360.00" },
        flags: { estimated_average: 1 },
      },
      // May's reading arrives after May was billed
      { reading: { serial: "LF-1", period: "2024-05", value: "118" } },
      {
        // No month was billed on a reading: L is the last usable reading before May, the first estimated month (Apr),
        // not May's late one (which would leave May's estimate standing: June 3.000, 2 m³ lost).
        // (121 − 112) − 4.000 = 5.000 × 40 = 200.00, recalculation round(−4 × 40, 2) = −160.00, charge 360.00;
        // May 4 + June 5 = 9 = 121 − 112
        house: "h",
        period: "2024-06",
        invoices: [
          {
            apartment: "1",
            water: "200.00",
            maintenance: "200.00",
            total: "400.00",
            lines: [
              {
                service: "cold_water",
                quantity: "5.000",
                price: "40.0000",
                amount: "200.00",
                flags: ["true_up"],
                tariff: "cold",
                meters: [
                  trueUp("LF-1", ["2024-04", "112.000"], ["2024-06", "121.000"], "5.000", {
                    actual: "9.000",
                    estimated: "4.000",
                    months: 1,
                    by: "average",
                  }),
                ],
                trueUp: { estimated: "4.000", recalculation: "-160.00", charge: "360.00" },
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "200.00", maintenance: "200.00", total: "400.00" },
        flags: { true_up: 1 },
      },
    ],
  },
];

// ---- setting a case up through the API, as its own workspace ----

let phones = 0;

interface Built {
  token: string;
  houseIds: Record<string, number>;
  apartmentIds: Record<string, Record<string, number>>;
  meters: Record<string, { id: number; service: WaterService }>;
  services: Record<string, { id: number; name_ru: string; name_en: string; basis: Basis }>;
  tariffs: Record<string, { id: number; spec: TariffSpec }>;
  normatives: Record<string, { id: number; spec: NormativeSpec }>;
}

async function build(c: Case): Promise<Built> {
  const { person, call, create } = await asNewPerson(`+7999200${String(++phones).padStart(4, "0")}`);
  const token = person.token;

  const built: Built = { token, houseIds: {}, apartmentIds: {}, meters: {}, services: {}, tariffs: {}, normatives: {} };
  for (const s of c.services ?? []) {
    const made = await create<{ active: boolean }>("/api/services", s);
    // a new service waits for its first price
    expect(made.active).toBe(false);
  }
  for (const [key, apartments] of Object.entries(c.houses)) {
    const house = await create<{ id: number }>("/api/houses", { address: `ул. Расчётная, ${key}` });
    built.houseIds[key] = house.id;
    built.apartmentIds[key] = {};
    for (const a of apartments) {
      const apartment = await create<{ id: number }>(`/api/houses/${house.id}/apartments`, {
        number: a.number,
        area: a.area,
        ...(a.residents !== undefined ? { residents: a.residents } : {}),
      });
      built.apartmentIds[key][a.number] = apartment.id;
      for (const m of a.meters ?? []) {
        const meter = await create<{ id: number }>(`/api/apartments/${apartment.id}/meters`, {
          serial_number: m.serial,
          service: m.service,
          ...(m.verified_until ? { verified_until: m.verified_until } : {}),
        });
        built.meters[m.serial] = { id: meter.id, service: m.service };
        const months = Object.keys(m.readings).sort();
        if (m.direct) {
          if (months.length > 0) {
            await db()
              .insert(meterReading)
              .values(months.map((p) => ({ meterId: meter.id, period: `${p}-01`, value: m.readings[p] })));
          }
        } else {
          for (const p of months) await putReading(token, meter.id, p, m.readings[p]);
        }
      }
    }
  }
  for (const t of c.tariffs) {
    const row = await create<{ id: number }>("/api/tariffs", {
      service: t.service,
      price: t.price,
      valid_from: t.valid_from,
      ...(t.house ? { house_id: built.houseIds[t.house] } : {}),
    });
    built.tariffs[t.key] = { id: row.id, spec: t };
  }
  for (const n of c.normatives ?? []) await addNormative(built, n);
  const services = (
    await call<{ items: { id: number; code: string; name_ru: string; name_en: string; basis: Basis }[] }>("GET", "/api/services")
  ).body.items;
  for (const s of services) built.services[s.code] = s;
  for (const s of c.switches ?? []) {
    const res = await call("PATCH", `/api/services/${built.services[s.service].id}`, {
      ...(s.active !== undefined ? { active: s.active } : {}),
      ...(s.off ? { switched_off_houses: s.off.map((h) => built.houseIds[h]) } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return built;
}

async function putReading(token: string, meterId: number, period: string, value: string) {
  const res = await api("PUT", `/api/meters/${meterId}/readings/${period}`, { value }, { token });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
}

async function addNormative(b: Built, n: NormativeSpec) {
  const res = await api(
    "POST",
    "/api/normatives",
    { service: n.service, value: n.value, valid_from: n.valid_from, ...(n.house ? { house_id: b.houseIds[n.house] } : {}) },
    { token: b.token },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  b.normatives[n.key] = { id: res.body.id, spec: n };
}

const readingOf = (r: Reading | null) => r && { period: r[0], value: r[1] };

function expectedMeter(b: Built, m: ExpectedMeter) {
  const n = m.normative;
  const normativeRow = n?.key ? b.normatives[n.key] : undefined;
  return {
    meter_id: b.meters[m.serial].id,
    serial_number: m.serial,
    service: b.meters[m.serial].service,
    previous: readingOf(m.previous),
    current: readingOf(m.current),
    consumption: m.consumption,
    flag: m.flags[0] ?? null,
    kind: m.kind,
    flags: m.flags,
    true_up: m.trueUp ?? null,
    average: m.average ? { from: readingOf(m.average.from), months: m.average.months } : null,
    normative: n
      ? {
          residents: n.residents,
          normative: normativeRow
            ? {
                id: normativeRow.id,
                value: normativeRow.spec.value,
                valid_from: normativeRow.spec.valid_from,
                scope: normativeRow.spec.house ? "house" : "workspace",
              }
            : null,
        }
      : null,
    missing_months: m.missing ?? null,
    verified_until: m.verifiedUntil ?? null,
  };
}

function expectedInvoice(b: Built, bill: Bill, inv: ExpectedInvoice, runId: number, atEnd = false) {
  const tariffDetail = (key: string, price: string) => {
    const t = b.tariffs[key];
    return { id: t.id, price, valid_from: t.spec.valid_from, scope: t.spec.house ? "house" : "workspace" };
  };
  return {
    id: expect.any(Number),
    apartment_id: b.apartmentIds[bill.house][inv.apartment],
    apartment_number: inv.apartment,
    period: bill.period,
    run_id: runId,
    water: inv.water,
    maintenance: inv.maintenance,
    total: inv.total,
    billed_at: expect.any(String),
    status: "draft",
    posted_at: null,
    out_of_date: atEnd ? (inv.outOfDateAtEnd ?? []) : [],
    lines: inv.lines.map((l) => {
      const service = b.services[l.service];
      const tariff = tariffDetail(l.tariff, l.price);
      const details =
        service.basis === "meter" || service.basis === "water_sum"
          ? { meters: (l.meters ?? []).map((m) => expectedMeter(b, m)), tariff, true_up: l.trueUp ?? null }
          : service.basis === "area"
            ? { area: l.area, tariff }
            : service.basis === "residents"
              ? { residents: l.residents, tariff }
              : { apartment: 1, tariff };
      return {
        service: l.service,
        service_id: service.id,
        service_name: { ru: service.name_ru, en: service.name_en },
        kind: service.basis,
        quantity: l.quantity,
        unit: UNIT[service.basis],
        tariff_id: b.tariffs[l.tariff].id,
        price: l.price,
        amount: l.amount,
        flags: l.flags,
        details,
      };
    }),
  };
}

const sum = (values: string[]) => values.reduce((acc, v) => acc.plus(v), new Dec(0)).toFixed(2);
const isWater = (kind: string) => kind === "meter" || kind === "water_sum";

async function start(b: Built, house: string, period: string): Promise<number> {
  const started = await api("POST", `/api/houses/${b.houseIds[house]}/billing-runs`, { period }, { token: b.token });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return started.body.id;
}

async function invoicesOf(b: Built, bill: Pick<Bill, "house" | "period">) {
  const res = await api("GET", `/api/houses/${b.houseIds[bill.house]}/invoices?period=${bill.period}`, undefined, { token: b.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The meter_volume rows of the house's invoices of the month: serial → [kind, volume]. */
async function storedVolumes(b: Built, bill: Bill) {
  const { rows } = await db().execute<{ meter_id: number; kind: string; volume: string }>(sql`
    select v.meter_id, v.kind::text, v.volume::text from meter_volume v join invoice i on i.id = v.invoice_id
    where i.house_id = ${b.houseIds[bill.house]} and i.period = ${`${bill.period}-01`}::date and v.period = i.period
    order by v.meter_id`);
  const serials = Object.fromEntries(Object.entries(b.meters).map(([serial, m]) => [m.id, serial]));
  return Object.fromEntries(rows.map((r) => [serials[r.meter_id], [r.kind, r.volume]]));
}

describe("billing calculation cases (through the database)", () => {
  it.each(cases)("$name", async (c) => {
    const b = await build(c);
    const billed: { bill: Bill; runId: number }[] = [];

    for (const step of c.steps) {
      if ("reading" in step) {
        await putReading(b.token, b.meters[step.reading.serial].id, step.reading.period, step.reading.value);
        continue;
      }
      if ("normative" in step) {
        await addNormative(b, step.normative);
        continue;
      }
      if ("fails" in step) {
        const { fails } = step;
        const before = await invoicesOf(b, fails);
        const runId = await start(b, fails.house, fails.period);
        await billInline(runId, c.chunkSize);
        const run = await api("GET", `/api/billing-runs/${runId}`, undefined, { token: b.token });
        expect(run.body).toMatchObject({
          status: "failed",
          processed: 0,
          error_reason: fails.reason,
          error_params: {
            month: fails.period,
            service: fails.params.service,
            house_id: b.houseIds[fails.house],
            address: `ул. Расчётная, ${fails.house}`,
            more: fails.params.more,
          },
          summary: { invoices: 0, water: "0.00", maintenance: "0.00", total: "0.00" },
        });
        expect(run.body.error).toMatch(fails.error);
        // nothing written
        expect(await invoicesOf(b, fails)).toEqual(before);
        continue;
      }

      const bill = step;
      const houseId = b.houseIds[bill.house];
      const runId = await start(b, bill.house, bill.period);
      await billInline(runId, c.chunkSize);

      const run = await api("GET", `/api/billing-runs/${runId}`, undefined, { token: b.token });
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({
        id: runId,
        house_id: houseId,
        period: bill.period,
        status: "completed",
        processed: bill.invoices.length,
        total: bill.invoices.length,
        percent: 100,
        error: null,
        summary: { invoices: bill.invoices.length, ...bill.totals, flags: bill.flags },
      });

      const body = await invoicesOf(b, bill);
      expect(body.items).toEqual(bill.invoices.map((inv) => expectedInvoice(b, bill, inv, runId)));
      expect(body.totals).toEqual(bill.totals);

      // The summary agrees with the invoices it wrote, and the invoices with their lines.
      const items = body.items as {
        water: string;
        maintenance: string;
        total: string;
        lines: { kind: string; amount: string; details: any }[];
      }[];
      expect(run.body.summary.water).toBe(sum(items.map((i) => i.water)));
      expect(run.body.summary.maintenance).toBe(sum(items.map((i) => i.maintenance)));
      expect(run.body.summary.total).toBe(sum(items.map((i) => i.total)));
      for (const i of items) {
        expect(i.water).toBe(sum(i.lines.filter((l) => isWater(l.kind)).map((l) => l.amount)));
        expect(i.maintenance).toBe(sum(i.lines.filter((l) => !isWater(l.kind)).map((l) => l.amount)));
        expect(i.total).toBe(sum(i.lines.map((l) => l.amount)));
      }
      // Each meter once in the run's flag counts (a meter is on its service's line and on wastewater's).
      const flagged: Record<string, number> = {};
      const meters = new Map<number, { flags: string[]; kind: string; consumption: string; serial_number: string }>();
      for (const i of items) for (const l of i.lines) for (const m of l.details.meters ?? []) meters.set(m.meter_id, m);
      for (const m of meters.values()) for (const f of m.flags) flagged[f] = (flagged[f] ?? 0) + 1;
      expect(run.body.summary.flags).toEqual(flagged);
      // The per-meter table holds the volumes the lines show: next month's bill reads it.
      expect(await storedVolumes(b, bill)).toEqual(
        Object.fromEntries([...meters.values()].map((m) => [m.serial_number, [m.kind, m.consumption]])),
      );

      // Exactly one invoice per apartment and month in the table itself.
      const {
        rows: [rows],
      } = await db().execute<{ n: number }>(
        sql`select count(*)::int as n from invoice where house_id = ${houseId} and period = ${`${bill.period}-01`}::date`,
      );
      expect(rows.n).toBe(bill.invoices.length);
      billed.push({ bill, runId });
    }

    // Later runs (other months, other houses) left every earlier bill as it was; a month billed
    // again is compared as its last run left it.
    const last = new Map(billed.map((x) => [`${x.bill.house} ${x.bill.period}`, x]));
    for (const { bill, runId } of last.values()) {
      expect((await invoicesOf(b, bill)).items).toEqual(bill.invoices.map((inv) => expectedInvoice(b, bill, inv, runId, true)));
    }
  });
});
