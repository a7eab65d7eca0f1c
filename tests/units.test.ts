import { describe, expect, it } from "vitest";
import { z } from "zod";
import { numberFormats } from "../lib/format";
import { roundMoney } from "../lib/money";
import { addMonths, currentMonth, dateToMonth, monthToDate } from "../lib/months";
import { clientAddress } from "../lib/api/client-address";
import { abandonedRunError, lastErrorOf } from "../lib/billing/abandoned-runs";
import { decimal, text } from "../lib/schemas/common";
import { readingOrderProblem } from "../lib/registry/readings";

describe("months", () => {
  it.each([
    ["2024-01", -1, "2023-12"],
    ["2024-12", 1, "2025-01"],
    ["2024-03", -14, "2023-01"],
    ["2024-05", 0, "2024-05"],
  ])("%s %+d months is %s", (month, delta, expected) => {
    expect(addMonths(month, delta)).toBe(expected);
  });

  it("converts between months and first days", () => {
    expect(monthToDate("2024-02")).toBe("2024-02-01");
    expect(dateToMonth("2024-02-01")).toBe("2024-02");
  });

  it("judges the current month in the configured time zone", () => {
    const lateNightUtc = new Date("2024-01-31T22:30:00Z");
    expect(currentMonth("UTC", lateNightUtc)).toBe("2024-01");
    expect(currentMonth("Europe/Moscow", lateNightUtc)).toBe("2024-02");
  });
});

describe("money and decimals", () => {
  it.each([
    ["1.005", "1.01"],
    ["1.004999", "1.00"],
    ["2.675", "2.68"],
    ["0.125", "0.13"],
    ["1234567890123.455", "1234567890123.46"],
    ["5", "5.00"],
  ])("rounds %s half-up to %s", (value, expected) => {
    expect(roundMoney(value)).toBe(expected);
  });

  it("formats money, areas, readings and prices as each language writes them, exactly, without going through a float", () => {
    const nbsp = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
    const ru = numberFormats("ru");
    expect(nbsp(ru.money("1234.50"))).toBe("1 234,50 ₽");
    expect(nbsp(ru.money("9007199254740993.01"))).toBe("9 007 199 254 740 993,01 ₽");
    expect(nbsp(ru.area("38.4"))).toBe("38,40 м²");
    expect(nbsp(ru.reading("1023.125"))).toBe("1 023,125 м³");
    expect(nbsp(ru.reading("3.5"))).toBe("3,500 м³");
    expect(nbsp(ru.decimal("0.1", 3))).toBe("0,100");
    expect(nbsp(ru.price("47.1200", "m3"))).toBe("47,12 ₽/м³");
    expect(nbsp(ru.price("47.1234"))).toBe("47,1234 ₽");
    expect(ru.input("125.500")).toBe("125,500");
    const en = numberFormats("en-US");
    expect(nbsp(en.money("1234.50"))).toBe("₽1,234.50");
    expect(nbsp(en.area("38.4"))).toBe("38.40 m²");
    expect(nbsp(en.reading("1023.125"))).toBe("1,023.125 m³");
    expect(nbsp(en.price("47.1200", "m2"))).toBe("₽47.12/m²");
    expect(en.input("125.500")).toBe("125.500");
  });

  it("parses decimals exactly and refuses what it would have to guess", () => {
    const schema = decimal({ places: 3, min: "0", max: "1000000000" });
    const ok = (v: unknown) => schema.parse(v);
    const problem = (v: unknown) => schema.safeParse(v).error?.issues[0].message;
    expect(ok("0.1")).toBe("0.100");
    expect(ok(0.1)).toBe("0.100");
    expect(ok("999999999.999")).toBe("999999999.999");
    expect(ok("12.3400")).toBe("12.340");
    expect(problem("1.2345")).toBe("must have at most 3 decimal places");
    const format = 'must be a number written as digits with an optional decimal point or comma ("12.5" or "12,5")';
    for (const notation of ["1e3", "+5", ".5", "5.", " 7 ", "7 ", "1 234", "1,2,3", "1.2,3", "0x10", "\u22125"]) {
      expect(problem(notation), notation).toBe(format);
    }
    expect(ok("12,5")).toBe("12.500");
    expect(ok("0,125")).toBe("0.125");
    expect(problem("-1")).toBe("must not be negative");
    expect(problem("-0,5")).toBe("must not be negative");
    expect(problem(-1)).toBe("must be at least 0"); // a JSON number is judged by its value, as before
    expect(problem(1e21)).toBe("is too large");
    expect(problem("1000000000")).toBe("must be less than 1000000000");
    expect(problem("-0.001")).toBe("must not be negative");
    expect(problem(Number.NaN)).toBe("must be a finite number");
    expect(problem(true)).toMatch(/decimal number/);
    expect(problem(undefined)).toBe("required");
    expect(z.strictObject({ v: schema }).safeParse({}).error?.issues[0].message).toBe("required");
  });

  it("takes a minus sign only where the rule allows negatives", () => {
    const signed = decimal({ places: 2, min: "-100", max: "100", allowNegative: true });
    expect(signed.parse("-12,5")).toBe("-12.50");
    expect(signed.parse("-0.01")).toBe("-0.01");
    expect(signed.parse(-3)).toBe("-3.00");
    expect(signed.safeParse("+12").error?.issues[0].message).toBe(
      'must be a number written as digits with an optional decimal point or comma ("12.5" or "12,5"), a minus sign first if negative',
    );
    expect(signed.safeParse("--1").success).toBe(false);
    expect(signed.safeParse("-100.01").error?.issues[0].message).toBe("must be at least -100");
  });
});

describe("free text", () => {
  const problem = (value: string) => text(20).safeParse(value).error?.issues[0].message;

  it("refuses broken UTF-16 and text-direction marks in plain words, and keeps every real character", () => {
    expect(problem("ул. \ud800")).toBe("must not contain broken characters (half of a UTF-16 surrogate pair)");
    expect(problem("\udfffул.")).toBe("must not contain broken characters (half of a UTF-16 surrogate pair)");
    for (const mark of [
      "\u061c",
      "\u200e",
      "\u200f",
      "\u202a",
      "\u202b",
      "\u202c",
      "\u202d",
      "\u202e",
      "\u2066",
      "\u2067",
      "\u2068",
      "\u2069",
    ]) {
      expect(problem(`кв${mark}12`), JSON.stringify(mark)).toBe("must not contain invisible text-direction marks (such as U+202E)");
    }
    expect(problem("a\u0007b")).toBe("must not contain control characters");
    // A surrogate pair is a character (🏠); ZWJ and ZWNJ join letters and emoji, they do not reorder.
    for (const fine of ["🏠 5", "👨\u200d👩\u200d👧", "می\u200cخواهم", "שלום", "مرحبا"]) expect(text(20).parse(fine)).toBe(fine);
  });
});

describe("reading order", () => {
  const previous = { period: "2024-04-01", value: "120.500" };
  const next = { period: "2024-06-01", value: "130.000" };
  it("accepts values between the neighbours, inclusive", () => {
    expect(readingOrderProblem("120.500", { previous, next })).toBeNull();
    expect(readingOrderProblem("130.000", { previous, next })).toBeNull();
    expect(readingOrderProblem("5", { previous: null, next: null })).toBeNull();
  });
  it("names the neighbour that a value contradicts", () => {
    expect(readingOrderProblem("120.499", { previous, next })).toBe("120.499 is lower than the previous reading 120.500 of 2024-04");
    expect(readingOrderProblem("130.001", { previous, next })).toBe("130.001 is higher than the next reading 130.000 of 2024-06");
  });
});

describe("a run no job will finish", () => {
  it("logs the driver's message under drizzle's, never the query or its parameters", () => {
    const output = {
      name: "DrizzleQueryError",
      message: "Failed query: insert into invoice (apartment_id, total) values ($1, $2)\nparams: 17,+79990001122",
      cause: { name: "PostgresError", message: "could not extend file: No space left on device" },
    };
    expect(lastErrorOf(output)).toBe("could not extend file: No space left on device");
    expect(lastErrorOf({ message: `first line ${"x".repeat(300)}\nsecond line` })).toMatch(/^first line x+…$/);
    expect(lastErrorOf({ message: `first line ${"x".repeat(300)}` })).toHaveLength(200);
    expect(lastErrorOf(null)).toBe("unknown error");
    expect(lastErrorOf({ message: "  ", cause: { message: "" } })).toBe("unknown error");
  });

  it("tells the manager what gave up and how often, and points at the log instead of quoting the error", () => {
    const disk = { message: "Failed query: …", cause: { message: 'could not extend file "base/16384/2619": No space left on device' } };
    expect(abandonedRunError({ id: "j-1", queue: "billing-part", attempts: 11, output: disk })).toBe(
      "the run stopped: billing a part of the run failed 11 times (last: an error, in the worker's log under job j-1); start it again",
    );
    expect(
      abandonedRunError({
        id: "j-2",
        queue: "billing-plan",
        attempts: 1,
        output: { value: { message: "job failed by timeout in active state" } },
      }),
    ).toBe("the run stopped: planning the run failed once (last: the worker stopped answering); start it again");
    expect(
      abandonedRunError({ id: "j-3", queue: "billing-part", attempts: 2, output: { message: "handler execution exceeded 60000ms" } }),
    ).toContain("(last: it took longer than BILLING_JOB_EXPIRE_SECONDS)");
    for (const output of [
      { value: "pg-boss shut down while active" },
      { message: "worker stopping: the part resumes from its cursor on the next attempt" },
    ]) {
      expect(abandonedRunError({ id: "j-4", queue: "billing-part", attempts: 3, output })).toContain("(last: the worker was stopped)");
    }
    expect(lastErrorOf({ value: "pg-boss shut down while active" })).toBe("pg-boss shut down while active");
    expect(abandonedRunError(null)).toBe("the run stopped: its background job is gone; start it again");
  });
});

describe("the client's address behind proxies", () => {
  const from = (headers: Record<string, string>) => new Request("http://app/api/login", { method: "POST", headers });

  it("is the X-Forwarded-For entry as many from the right as there are proxies", () => {
    const chain = "10.9.9.9, 198.51.100.7, 172.18.0.5";
    expect(clientAddress(from({ "x-forwarded-for": chain }), 1)).toBe("172.18.0.5");
    expect(clientAddress(from({ "x-forwarded-for": chain }), 2)).toBe("198.51.100.7");
    expect(clientAddress(from({ "x-forwarded-for": "198.51.100.7" }), 1)).toBe("198.51.100.7");
    // A chain shorter than the proxies: its leftmost entry.
    expect(clientAddress(from({ "x-forwarded-for": "198.51.100.7" }), 3)).toBe("198.51.100.7");
    expect(clientAddress(from({ "x-forwarded-for": " , 198.51.100.7 ,, " }), 1)).toBe("198.51.100.7");
  });

  it("falls back to X-Real-IP, then to one shared unknown address", () => {
    expect(clientAddress(from({ "x-real-ip": " 198.51.100.8 " }), 1)).toBe("198.51.100.8");
    expect(clientAddress(from({ "x-forwarded-for": " , " }), 1)).toBe("unknown");
    expect(clientAddress(from({}), 1)).toBe("unknown");
  });
});
