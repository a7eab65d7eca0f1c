import { z } from "zod";
import type { FieldReason, ReasonParams } from "../api/errors";
import { withReason } from "../api/field-reasons";
import { Dec } from "../money";
import { MONTH_PATTERN } from "../months";

// Shared field schemas. Every field reports "required" when missing and a plain-words English
// message otherwise, and its rules name their reason (`withReason`), which the pages translate.

// C0, DEL and C1 control characters.
const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F]/;
// The invisible marks that reorder how text is shown (ALM, LRM, RLM, the embeddings, overrides
// and isolates): with U+202E an address or a serial number reads differently from what it is.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
export const MAX_INT4 = 2_147_483_647;

export function typeError(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "required" : `must be ${expected}`);
}

/**
 * The characters no free text may hold, wherever it comes from (a body, a query string): control
 * characters, half of a UTF-16 surrogate pair ("\ud800" in JSON: not a character at all; on its
 * way to PostgreSQL it would silently become U+FFFD) and the bidirectional controls above.
 */
export function plainCharacters(schema: z.ZodString): z.ZodString {
  return schema
    .refine((s) => !CONTROL_CHARS.test(s), { message: "must not contain control characters", params: withReason("control_characters") })
    .refine((s) => s.isWellFormed(), {
      message: "must not contain broken characters (half of a UTF-16 surrogate pair)",
      params: withReason("broken_characters"),
    })
    .refine((s) => !BIDI_CONTROLS.test(s), {
      message: "must not contain invisible text-direction marks (such as U+202E)",
      params: withReason("direction_marks"),
    });
}

/** A single-line text: trimmed, 1..max characters (Unicode code points), only plain characters. */
export function text(max: number) {
  return plainCharacters(
    z
      .string({ error: typeError("a string") })
      .trim()
      .min(1, "must not be empty")
      .refine((s) => [...s].length <= max, { message: `must be at most ${max} characters`, params: withReason("too_long", { max }) }),
  ).meta({ maxLength: max, description: `1–${max} characters after trimming, one line, no invisible control or direction marks` });
}

/** A database id in a JSON body: a positive integer. */
export const id = z
  .int({ error: typeError("an integer id") })
  .min(1, "must be a positive integer id")
  .max(MAX_INT4, "is not a valid id")
  .meta({ description: "an id (positive integer)" });

/** A database id in a URL path segment. */
const ID_TEXT = /^[1-9]\d{0,9}$/;
export const idParam = z
  .string()
  .refine((s) => ID_TEXT.test(s), { message: "must be a positive integer id", params: withReason("not_id"), abort: true })
  .transform(Number)
  .refine((n) => n <= MAX_INT4, { message: "is not a valid id", params: withReason("not_id") })
  .meta({ description: "an id (positive integer)", pattern: ID_TEXT.source });

/** A calendar month, "YYYY-MM" (years 1900–2999). */
export const month = z
  .string({ error: typeError('a month as "YYYY-MM"') })
  .refine((m) => MONTH_PATTERN.test(m), { message: 'must be a month as "YYYY-MM"', params: withReason("not_month"), abort: true })
  .refine((m) => m >= "1900-01" && m <= "2999-12", {
    message: "must be between 1900-01 and 2999-12",
    params: withReason("month_out_of_range", { min: "1900-01", max: "2999-12" }),
  })
  .meta({ description: 'a month, "YYYY-MM"', examples: ["2026-11"], pattern: MONTH_PATTERN.source });

/** A calendar date, "YYYY-MM-DD". */
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
export const isoDate = z
  .string({ error: typeError('a date as "YYYY-MM-DD"') })
  .refine((d) => DATE_TEXT.test(d), { message: 'must be a date as "YYYY-MM-DD"', params: withReason("not_date"), abort: true })
  .refine(
    (d) => {
      const parsed = new Date(`${d}T00:00:00Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d;
    },
    { message: "is not a real calendar date", params: withReason("not_real_date") },
  )
  .refine((d) => d >= "1900-01-01" && d <= "2999-12-31", {
    message: "must be between 1900 and 2999",
    params: withReason("date_out_of_range", { min: "1900-01-01", max: "2999-12-31" }),
  })
  .meta({ description: 'a date, "YYYY-MM-DD"', examples: ["2026-11-27"], pattern: DATE_TEXT.source });

export interface DecimalRule {
  /** Most digits allowed after the point. */
  places: number;
  min: string;
  minExclusive?: boolean;
  /** Upper bound; every value must be below it (or equal when maxInclusive). */
  max: string;
  maxInclusive?: boolean;
  /** Whether a string may start with a minus sign (none of today's fields: they are never negative). */
  allowNegative?: boolean;
}

/** Digits, optionally a point or a comma and more digits: "12", "12.5", "12,5". */
const DECIMAL_TEXT = /^\d+([.,]\d+)?$/;
const SIGNED_DECIMAL_TEXT = /^-?\d+([.,]\d+)?$/;

/**
 * An exact decimal given as a string ("63.75", "63,75") or a JSON number (63.75); the result is
 * a string with exactly `places` decimals. A string has one plain form — no sign unless the
 * field takes negatives, no spaces, no exponent, no point without digits on both sides — and
 * anything else is refused rather than guessed at; a comma is the Russian decimal separator.
 */
export function decimal(rule: DecimalRule) {
  const pattern = rule.allowNegative ? SIGNED_DECIMAL_TEXT : DECIMAL_TEXT;
  const format = `must be a number written as digits with an optional decimal point or comma ("12.5" or "12,5")${rule.allowNegative ? ", a minus sign first if negative" : ""}`;
  return z
    .unknown()
    .transform((input, ctx) => {
      const fail = (message: string, reason: FieldReason, params?: ReasonParams) => {
        ctx.addIssue({ code: "custom", message, params: withReason(reason, params) });
        return z.NEVER;
      };
      const tooManyPlaces = () =>
        rule.places === 0
          ? fail("must be a whole number", "not_whole")
          : fail(`must have at most ${rule.places} decimal places`, "too_many_decimals", { places: rule.places });
      let raw: string;
      if (typeof input === "number") {
        if (!Number.isFinite(input)) return fail("must be a finite number", "not_finite");
        raw = String(input);
        if (/e/i.test(raw)) return Math.abs(input) < 1 ? tooManyPlaces() : fail("is too large", "above_max", { max: rule.max });
      } else if (typeof input === "string") {
        if (input === "") return fail("must not be empty", "empty");
        if (!rule.allowNegative && input.startsWith("-") && SIGNED_DECIMAL_TEXT.test(input))
          return fail("must not be negative", "negative");
        if (!pattern.test(input)) return fail(format, "not_decimal");
        raw = input.replace(",", ".");
      } else if (input === undefined) {
        return fail("required", "required");
      } else {
        return fail("must be a decimal number (string or number)", "not_decimal");
      }
      const value = new Dec(raw);
      if (value.decimalPlaces() > rule.places) return tooManyPlaces();
      const min = new Dec(rule.min);
      if (rule.minExclusive ? value.lte(min) : value.lt(min)) {
        return rule.minExclusive
          ? fail(`must be greater than ${rule.min}`, "below_min", { min: rule.min, exclusive: 1 })
          : fail(`must be at least ${rule.min}`, "below_min", { min: rule.min });
      }
      const max = new Dec(rule.max);
      if (rule.maxInclusive ? value.gt(max) : value.gte(max)) {
        return rule.maxInclusive
          ? fail(`must be at most ${rule.max}`, "above_max", { max: rule.max })
          : fail(`must be less than ${rule.max}`, "above_max", { max: rule.max, exclusive: 1 });
      }
      return value.toFixed(rule.places);
    })
    .meta({
      // What a client may send: the schema above is code, so say it for the OpenAPI description.
      anyOf: [{ type: "string", pattern: pattern.source }, { type: "number" }],
      description:
        `an exact decimal, best sent as a string ("12.5"; a decimal comma is accepted too); at most ${rule.places} decimal places, ` +
        `${rule.minExclusive ? ">" : "≥"} ${rule.min} and ${rule.maxInclusive ? "≤" : "<"} ${rule.max}`,
    });
}

/** A non-negative integer in a query string, with bounds and a default. */
function queryInt(options: { min: number; max: number; default: number }) {
  return z
    .string()
    .refine((s) => /^\d{1,9}$/.test(s), { message: "must be a whole number", params: withReason("not_whole"), abort: true })
    .transform(Number)
    .superRefine((n, ctx) => {
      if (n >= options.min && n <= options.max) return;
      ctx.addIssue({
        code: "custom",
        message: `must be between ${options.min} and ${options.max}`,
        params: withReason(n < options.min ? "below_min" : "above_max", { min: options.min, max: options.max }),
      });
    })
    .optional()
    .transform((n) => n ?? options.default)
    .meta({ description: `a whole number ${options.min}–${options.max}, default ${options.default}`, pattern: "^\\d{1,9}$" });
}

export const pagination = {
  limit: queryInt({ min: 1, max: 200, default: 50 }),
  offset: queryInt({ min: 0, max: 1_000_000_000, default: 0 }),
};
