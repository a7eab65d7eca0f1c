import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { meterReading } from "../db/schema";
import { Dec } from "../lib/money";
import { api } from "./helpers/api";
import { signIn } from "./helpers/auth";
import { billInline } from "./helpers/billing";
import { db } from "./helpers/db";

// The billing rules live in SQL (lib/billing/bill-chunk.ts), so they are proven here through
// the database (STYLE rule 8): every case is set up through the API in a workspace of its own
// (workspace prices apply to every house of a workspace), billed with the worker's code path
// (billInline), and read back through GET /api/houses/:id/invoices and GET /api/billing-runs/:id.
// Every expected figure is written out by hand in the case; the test never recomputes them.

type WaterService = "cold_water" | "hot_water";
type Service = WaterService | "maintenance";
type Flag = "no_previous_reading" | "no_current_reading" | "negative_consumption";

interface MeterSpec {
  /** serial number, unique within the case */
  serial: string;
  service: WaterService;
  /** month → m³ */
  readings: Record<string, string>;
  /** write the readings straight into meter_reading (data loaded outside the API) */
  direct?: boolean;
}

interface ApartmentSpec {
  number: string;
  area: string;
  meters?: MeterSpec[];
}

interface TariffSpec {
  key: string;
  service: Service;
  price: string;
  valid_from: string;
  /** a house key of the case: a price for that house only; without it, the workspace default */
  house?: string;
}

interface ExpectedMeter {
  serial: string;
  previous: [period: string, value: string] | null;
  current: [period: string, value: string] | null;
  consumption: string;
  flag: Flag | null;
}

interface ExpectedLine {
  service: Service;
  quantity: string;
  price: string;
  amount: string;
  flags: Flag[];
  /** key of the tariff row the price must come from */
  tariff: string;
  /** water lines: the meters in the order they were created; maintenance: the area */
  meters?: ExpectedMeter[];
  area?: string;
}

interface ExpectedInvoice {
  apartment: string;
  water: string;
  maintenance: string;
  total: string;
  lines: ExpectedLine[];
}

interface Bill {
  house: string;
  period: string;
  invoices: ExpectedInvoice[];
  totals: { water: string; maintenance: string; total: string };
  /** the run's summary.flags: flag → number of meters */
  flags: Partial<Record<Flag, number>>;
}

interface Case {
  name: string;
  tariffs: TariffSpec[];
  houses: Record<string, ApartmentSpec[]>;
  /** billed in this order; afterwards every bill is read again (later runs must not touch it) */
  bills: Bill[];
  chunkSize?: number;
}

const cold = (serial: string, readings: Record<string, string>, direct = false): MeterSpec => ({
  serial,
  service: "cold_water",
  readings,
  direct,
});
const hot = (serial: string, readings: Record<string, string>, direct = false): MeterSpec => ({
  serial,
  service: "hot_water",
  readings,
  direct,
});
const tariff = (key: string, service: Service, price: string, valid_from: string, house?: string): TariffSpec => ({
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

const cases: Case[] = [
  {
    name: "basic: one cold meter, consumption × price and area × price",
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: { h: [{ number: "1", area: "50.00", meters: [cold("B-1", { "2024-02": "100", "2024-03": "112" })] }] },
    bills: [
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
                meters: [
                  { serial: "B-1", previous: ["2024-02", "100.000"], current: ["2024-03", "112.000"], consumption: "12.000", flag: null },
                ],
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
    tariffs: [tariff("cold", "cold_water", "45.6789", "2023-01"), tariff("maint", "maintenance", "23.4567", "2023-01")],
    houses: { h: [{ number: "7", area: "45.67", meters: [cold("F-1", { "2024-02": "123.456", "2024-03": "130.789" })] }] },
    bills: [
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
                meters: [
                  { serial: "F-1", previous: ["2024-02", "123.456"], current: ["2024-03", "130.789"], consumption: "7.333", flag: null },
                ],
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
    bills: [
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
                  { serial: "K-1", previous: ["2024-02", "10.500"], current: ["2024-03", "13.000"], consumption: "2.500", flag: null },
                  { serial: "K-2", previous: ["2024-02", "200.000"], current: ["2024-03", "203.250"], consumption: "3.250", flag: null },
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
    bills: [
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
                meters: [
                  { serial: "C-1", previous: ["2024-02", "50.000"], current: ["2024-03", "56.000"], consumption: "6.000", flag: null },
                ],
              },
              {
                service: "hot_water",
                quantity: "4.000",
                price: "205.1500",
                amount: "820.60",
                flags: [],
                tariff: "hot",
                meters: [
                  { serial: "H-1", previous: ["2024-02", "20.000"], current: ["2024-03", "24.000"], consumption: "4.000", flag: null },
                ],
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
    tariffs: [tariff("maint", "maintenance", "31.1000", "2023-01")],
    houses: {
      h: [
        { number: "10", area: "72.30" },
        { number: "11", area: "15.50" },
      ],
    },
    bills: [
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
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: { h: [{ number: "1", area: "40.00", meters: [cold("J-1", { "2023-11": "490", "2023-12": "500", "2024-01": "507.125" })] }] },
    bills: [
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
                meters: [
                  { serial: "J-1", previous: ["2023-12", "500.000"], current: ["2024-01", "507.125"], consumption: "7.125", flag: null },
                ],
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
    name: "a gap month: February without a reading bills 0, March bills everything since January, each m³ once",
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: { h: [{ number: "1", area: "20.00", meters: [cold("G-1", { "2024-01": "100", "2024-03": "109" })] }] },
    bills: [
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
                flags: ["no_current_reading"],
                tariff: "cold",
                meters: [
                  { serial: "G-1", previous: ["2024-01", "100.000"], current: null, consumption: "0.000", flag: "no_current_reading" },
                ],
              },
              maintenance("20.00", "20.0000", "400.00"),
            ],
          },
        ],
        totals: { water: "0.00", maintenance: "400.00", total: "400.00" },
        flags: { no_current_reading: 1 },
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
                meters: [
                  { serial: "G-1", previous: ["2024-01", "100.000"], current: ["2024-03", "109.000"], consumption: "9.000", flag: null },
                ],
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
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: { h: [{ number: "1", area: "25.00", meters: [cold("N-1", { "2024-03": "55" })] }] },
    bills: [
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
                meters: [
                  { serial: "N-1", previous: null, current: ["2024-03", "55.000"], consumption: "0.000", flag: "no_previous_reading" },
                ],
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
    name: "missing current reading: consumption 0 and flag no_current_reading (also for a meter never read)",
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        { number: "1", area: "25.00", meters: [cold("M-1", { "2024-02": "80" })] },
        { number: "2", area: "10.00", meters: [cold("M-2", {})] },
      ],
    },
    bills: [
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
                flags: ["no_current_reading"],
                tariff: "cold",
                meters: [
                  { serial: "M-1", previous: ["2024-02", "80.000"], current: null, consumption: "0.000", flag: "no_current_reading" },
                ],
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
                flags: ["no_current_reading"],
                tariff: "cold",
                meters: [{ serial: "M-2", previous: null, current: null, consumption: "0.000", flag: "no_current_reading" }],
              },
              maintenance("10.00", "20.0000", "200.00"),
            ],
          },
        ],
        totals: { water: "0.00", maintenance: "700.00", total: "700.00" },
        flags: { no_current_reading: 2 },
      },
    ],
  },
  {
    name: "negative consumption (data loaded outside the API): 0 and flag negative_consumption, never negative money",
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        {
          number: "1",
          area: "10.00",
          // the negative meter must not eat into the other meter's 4 m³
          meters: [cold("D-1", { "2024-02": "300", "2024-03": "290.5" }, true), cold("D-2", { "2024-02": "10", "2024-03": "14" })],
        },
        { number: "2", area: "10.00", meters: [cold("D-3", { "2024-02": "50", "2024-03": "49.999" }, true)] },
      ],
    },
    bills: [
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
                  {
                    serial: "D-1",
                    previous: ["2024-02", "300.000"],
                    current: ["2024-03", "290.500"],
                    consumption: "0.000",
                    flag: "negative_consumption",
                  },
                  { serial: "D-2", previous: ["2024-02", "10.000"], current: ["2024-03", "14.000"], consumption: "4.000", flag: null },
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
                meters: [
                  {
                    serial: "D-3",
                    previous: ["2024-02", "50.000"],
                    current: ["2024-03", "49.999"],
                    consumption: "0.000",
                    flag: "negative_consumption",
                  },
                ],
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
    bills: [
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
                meters: [
                  { serial: "R-1", previous: ["2024-02", "10.000"], current: ["2024-03", "13.000"], consumption: "3.000", flag: null },
                ],
              },
              {
                service: "hot_water",
                quantity: "0.125",
                price: "1.0000",
                amount: "0.13",
                flags: [],
                tariff: "hot",
                meters: [
                  { serial: "R-2", previous: ["2024-02", "5.000"], current: ["2024-03", "5.125"], consumption: "0.125", flag: null },
                ],
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
    tariffs: [tariff("maint", "maintenance", "0.1000", "2023-01")],
    houses: {
      h: [
        { number: "1", area: "10.05" },
        { number: "2", area: "40.25" },
      ],
    },
    bills: [
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
    tariffs: [tariff("cold", "cold_water", "40.0000", "2023-01"), tariff("maint", "maintenance", "20.0000", "2023-01")],
    houses: {
      h: [
        { number: "1", area: "50.00", meters: [cold("P-1", { "2024-01": "100", "2024-02": "110", "2024-03": "125", "2024-04": "140" })] },
      ],
    },
    bills: [
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
                meters: [
                  { serial: "P-1", previous: ["2024-01", "100.000"], current: ["2024-02", "110.000"], consumption: "10.000", flag: null },
                ],
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
    bills: [
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
                meters: [
                  { serial: "O-1", previous: ["2024-02", "1.000"], current: ["2024-03", "3.000"], consumption: "2.000", flag: null },
                ],
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
                meters: [
                  { serial: "W-1", previous: ["2024-02", "1.000"], current: ["2024-03", "3.000"], consumption: "2.000", flag: null },
                ],
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
    tariffs: [
      tariff("cold-jan", "cold_water", "40.0000", "2024-01"),
      tariff("cold-mar", "cold_water", "50.0000", "2024-03"),
      tariff("maint-jan", "maintenance", "20.0000", "2024-01"),
      tariff("maint-mar", "maintenance", "22.0000", "2024-03"),
    ],
    houses: { h: [{ number: "1", area: "50.00", meters: [cold("T-1", { "2024-01": "100", "2024-02": "110", "2024-03": "125" })] }] },
    bills: [
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
                meters: [
                  { serial: "T-1", previous: ["2024-02", "110.000"], current: ["2024-03", "125.000"], consumption: "15.000", flag: null },
                ],
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
                meters: [
                  { serial: "T-1", previous: ["2024-01", "100.000"], current: ["2024-02", "110.000"], consumption: "10.000", flag: null },
                ],
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
        { number: "3", area: "60.00", meters: [cold("S-5", { "2024-02": "100", "2024-03": "90" }, true)] },
        { number: "4", area: "20.00" },
        { number: "5", area: "33.33", meters: [cold("S-6", { "2024-02": "1.111", "2024-03": "2.222" })] },
      ],
    },
    bills: [
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
                meters: [
                  { serial: "S-1", previous: ["2024-02", "10.000"], current: ["2024-03", "15.000"], consumption: "5.000", flag: null },
                ],
              },
              {
                service: "hot_water",
                quantity: "0.000",
                price: "200.0000",
                amount: "0.00",
                flags: ["no_previous_reading"],
                tariff: "hot",
                meters: [
                  { serial: "S-2", previous: null, current: ["2024-03", "7.000"], consumption: "0.000", flag: "no_previous_reading" },
                ],
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
                flags: ["no_current_reading"],
                tariff: "cold",
                meters: [
                  { serial: "S-3", previous: ["2024-02", "20.000"], current: null, consumption: "0.000", flag: "no_current_reading" },
                ],
              },
              {
                service: "hot_water",
                quantity: "1.500",
                price: "200.0000",
                amount: "300.00",
                flags: [],
                tariff: "hot",
                meters: [
                  { serial: "S-4", previous: ["2024-02", "3.000"], current: ["2024-03", "4.500"], consumption: "1.500", flag: null },
                ],
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
                meters: [
                  {
                    serial: "S-5",
                    previous: ["2024-02", "100.000"],
                    current: ["2024-03", "90.000"],
                    consumption: "0.000",
                    flag: "negative_consumption",
                  },
                ],
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
                meters: [
                  { serial: "S-6", previous: ["2024-02", "1.111"], current: ["2024-03", "2.222"], consumption: "1.111", flag: null },
                ],
              },
              maintenance("33.33", "20.0000", "666.60"),
            ],
          },
        ],
        totals: { water: "544.44", maintenance: "3776.60", total: "4321.04" },
        flags: { no_previous_reading: 1, no_current_reading: 1, negative_consumption: 1 },
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
  meters: Record<string, { id: number; serial: string }>;
  tariffs: Record<string, { id: number; spec: TariffSpec }>;
}

async function build(c: Case): Promise<Built> {
  const person = await signIn(`+7999200${String(++phones).padStart(4, "0")}`);
  const token = person.token;
  const create = async <T = any>(url: string, body: unknown): Promise<T> => {
    const res = await api<T>("POST", url, body, { token });
    expect(res.status, `POST ${url} ${JSON.stringify(res.body)}`).toBe(201);
    return res.body;
  };

  const built: Built = { token, houseIds: {}, apartmentIds: {}, meters: {}, tariffs: {} };
  for (const [key, apartments] of Object.entries(c.houses)) {
    const house = await create<{ id: number }>("/api/houses", { address: `ул. Расчётная, ${key}` });
    built.houseIds[key] = house.id;
    built.apartmentIds[key] = {};
    for (const a of apartments) {
      const apartment = await create<{ id: number }>(`/api/houses/${house.id}/apartments`, { number: a.number, area: a.area });
      built.apartmentIds[key][a.number] = apartment.id;
      for (const m of a.meters ?? []) {
        const meter = await create<{ id: number }>(`/api/apartments/${apartment.id}/meters`, {
          serial_number: m.serial,
          service: m.service,
        });
        built.meters[m.serial] = { id: meter.id, serial: m.serial };
        const months = Object.keys(m.readings).sort();
        if (m.direct) {
          if (months.length > 0) {
            await db()
              .insert(meterReading)
              .values(months.map((p) => ({ meterId: meter.id, period: `${p}-01`, value: m.readings[p] })));
          }
        } else {
          for (const p of months) {
            const res = await api("PUT", `/api/meters/${meter.id}/readings/${p}`, { value: m.readings[p] }, { token });
            expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
          }
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
  return built;
}

function expectedInvoice(b: Built, bill: Bill, inv: ExpectedInvoice, runId: number) {
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
    lines: inv.lines.map((l) => ({
      service: l.service,
      quantity: l.quantity,
      unit: l.service === "maintenance" ? "m2" : "m3",
      tariff_id: b.tariffs[l.tariff].id,
      price: l.price,
      amount: l.amount,
      flags: l.flags,
      details:
        l.service === "maintenance"
          ? { area: l.area, tariff: tariffDetail(l.tariff, l.price) }
          : {
              meters: (l.meters ?? []).map((m) => ({
                meter_id: b.meters[m.serial].id,
                serial_number: m.serial,
                previous: m.previous && { period: m.previous[0], value: m.previous[1] },
                current: m.current && { period: m.current[0], value: m.current[1] },
                consumption: m.consumption,
                flag: m.flag,
              })),
              tariff: tariffDetail(l.tariff, l.price),
            },
    })),
  };
}

const sum = (values: string[]) => values.reduce((acc, v) => acc.plus(v), new Dec(0)).toFixed(2);

describe("billing calculation cases (through the database)", () => {
  it.each(cases)("$name", async (c) => {
    const b = await build(c);
    const billed: { bill: Bill; runId: number }[] = [];

    for (const bill of c.bills) {
      const houseId = b.houseIds[bill.house];
      const started = await api("POST", `/api/houses/${houseId}/billing-runs`, { period: bill.period }, { token: b.token });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const runId: number = started.body.id;

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

      const res = await api("GET", `/api/houses/${houseId}/invoices?period=${bill.period}`, undefined, { token: b.token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items).toEqual(bill.invoices.map((inv) => expectedInvoice(b, bill, inv, runId)));
      expect(res.body.totals).toEqual(bill.totals);

      // The summary agrees with the invoices it wrote, and the invoices with their lines.
      const items = res.body.items as {
        water: string;
        maintenance: string;
        total: string;
        lines: { service: string; amount: string; details: any }[];
      }[];
      expect(run.body.summary.water).toBe(sum(items.map((i) => i.water)));
      expect(run.body.summary.maintenance).toBe(sum(items.map((i) => i.maintenance)));
      expect(run.body.summary.total).toBe(sum(items.map((i) => i.total)));
      for (const i of items) {
        expect(i.water).toBe(sum(i.lines.filter((l) => l.service !== "maintenance").map((l) => l.amount)));
        expect(i.maintenance).toBe(sum(i.lines.filter((l) => l.service === "maintenance").map((l) => l.amount)));
        expect(i.total).toBe(sum([i.water, i.maintenance]));
      }
      const flagged: Record<string, number> = {};
      for (const i of items)
        for (const l of i.lines) for (const m of l.details.meters ?? []) if (m.flag) flagged[m.flag] = (flagged[m.flag] ?? 0) + 1;
      expect(run.body.summary.flags).toEqual(flagged);

      // Exactly one invoice per apartment and month in the table itself.
      const {
        rows: [rows],
      } = await db().execute<{ n: number }>(
        sql`select count(*)::int as n from invoice where house_id = ${houseId} and period = ${`${bill.period}-01`}::date`,
      );
      expect(rows.n).toBe(bill.invoices.length);
      billed.push({ bill, runId });
    }

    // Later runs (other months, other houses) left every earlier bill as it was.
    for (const { bill, runId } of billed) {
      const res = await api("GET", `/api/houses/${b.houseIds[bill.house]}/invoices?period=${bill.period}`, undefined, { token: b.token });
      expect(res.body.items).toEqual(bill.invoices.map((inv) => expectedInvoice(b, bill, inv, runId)));
    }
  });
});
