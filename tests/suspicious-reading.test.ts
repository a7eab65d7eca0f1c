import { describe, expect, it } from "vitest";
import { meterHistory, suspiciousReading, type Reading } from "../lib/readings/suspicious";

// The one definition of a suspicious reading (lib/readings/suspicious.ts): more than 3× the
// average monthly use of the last 6 months and at least 5 m³ more, a decrease, or a third month
// in a row of zero use.

/** Readings from a list of monthly values ending the month before 2026-07. */
const monthly = (...values: string[]): Reading[] =>
  values.map((value, i) => ({ period: `2026-${String(7 - values.length + i).padStart(2, "0")}`, value }));

const judge = (readings: Reading[], value: string, month = "2026-07") => suspiciousReading(meterHistory(readings, month), month, value);

describe("a meter's history", () => {
  it("averages the use over the last 6 months, from the earliest reading in them to the latest", () => {
    // 2026-01 … 2026-06, 3.5 m³ a month; the reading of 2025-12 is the 7th month back and starts the window
    const readings = [
      { period: "2025-11", value: "0" },
      { period: "2025-12", value: "100" },
      ...monthly("103.5", "107", "110.5", "114", "117.5", "121"),
    ];
    expect(meterHistory(readings, "2026-07")).toEqual({
      previous: { period: "2026-06", value: "121" },
      averageUse: "3.500",
      zeroMonths: 0,
    });
  });

  it("averages over a gap by the months between", () => {
    expect(
      meterHistory(
        [
          { period: "2026-02", value: "10" },
          { period: "2026-06", value: "30" },
        ],
        "2026-07",
      ).averageUse,
    ).toBe("5.000");
  });

  it("has no average with fewer than two readings in the window, and ignores the month itself and later", () => {
    expect(
      meterHistory(
        [
          { period: "2025-01", value: "1" },
          { period: "2026-06", value: "30" },
          { period: "2026-07", value: "99" },
        ],
        "2026-07",
      ),
    ).toEqual({
      previous: { period: "2026-06", value: "30" },
      averageUse: null,
      zeroMonths: 0,
    });
  });

  it("counts months in a row of zero use back from the month before", () => {
    expect(meterHistory(monthly("5", "7", "7", "7"), "2026-07").zeroMonths).toBe(2);
    expect(meterHistory(monthly("5", "7", "7", "8"), "2026-07").zeroMonths).toBe(0);
    // a gap breaks the streak
    expect(
      meterHistory(
        [
          { period: "2026-03", value: "7" },
          { period: "2026-05", value: "7" },
          { period: "2026-06", value: "7" },
        ],
        "2026-07",
      ).zeroMonths,
    ).toBe(1);
  });
});

describe("a suspicious reading", () => {
  const usual = monthly("100", "103.5", "107", "110.5", "114", "117.5", "121"); // 3.5 m³ a month

  it("is one of more than 3× the usual use and at least 5 m³ more (the issue's 84 m³ against 3.5)", () => {
    expect(judge(usual, "205")).toEqual({ kind: "high", use: "84.000", expected: "3.500" });
    expect(judge(usual, "131.6")).toEqual({ kind: "high", use: "10.600", expected: "3.500" });
  });

  it("is not one of 3× or less, nor one more than 3× but less than 5 m³ above the usual", () => {
    expect(judge(usual, "131.5")).toBeNull(); // exactly 3×
    const small = monthly("10", "10.5", "11", "11.5", "12", "12.5", "13"); // 0.5 a month
    expect(judge(small, "17")).toBeNull(); // 4 m³: 8× but only 3.5 above
    expect(judge(small, "18.6")).toEqual({ kind: "high", use: "5.600", expected: "0.500" });
  });

  it("compares with the usual use of as many months as passed since the last reading", () => {
    const gap = ["100", "103.5", "107", "110.5", "114", "117.5"].map((value, i) => ({
      period: `202${i ? "6" : "5"}-${String(i ? i : 12).padStart(2, "0")}`,
      value,
    }));
    expect(judge(gap, "131", "2026-07")).toBeNull(); // 13.5 m³ over 2 months against 7
  });

  it("is a decrease", () => {
    expect(judge(usual, "120.999")).toEqual({ kind: "decrease", previous: "121" });
  });

  it("is the third month in a row with no use, not the first or second", () => {
    expect(judge(monthly("5", "7", "7", "7"), "7")).toEqual({ kind: "zero", months: 3 });
    expect(judge(monthly("5", "6", "7", "7"), "7")).toBeNull();
    expect(judge(monthly("5", "6", "7", "8"), "8")).toBeNull();
  });

  it("cannot be judged without a previous reading, and high use not without a usual one", () => {
    expect(judge([], "500")).toBeNull();
    expect(judge([{ period: "2026-06", value: "1" }], "500")).toBeNull();
  });
});
