import { z } from "zod";
import { Dec } from "../money";
import { MONTH_PATTERN } from "../months";

// Shared field schemas. Every field reports "required" when missing and a plain-words
// message otherwise, so that `fields` in a 422 can be shown to a person as it is.

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
    .refine((s) => !CONTROL_CHARS.test(s), "must not contain control characters")
    .refine((s) => s.isWellFormed(), "must not contain broken characters (half of a UTF-16 surrogate pair)")
    .refine((s) => !BIDI_CONTROLS.test(s), "must not contain invisible text-direction marks (such as U+202E)");
}

/** A single-line text: trimmed, 1..max characters (Unicode code points), only plain characters. */
export function text(max: number) {
  return plainCharacters(
    z
      .string({ error: typeError("a string") })
      .trim()
      .min(1, "must not be empty")
      .refine((s) => [...s].length <= max, `must be at most ${max} characters`),
  ).meta({ maxLength: max, description: `1–${max} characters after trimming, one line, no invisible control or direction marks` });
}

/** A database id in a JSON body: a positive integer. */
export const id = z
  .int({ error: typeError("an integer id") })
  .min(1, "must be a positive integer id")
  .max(MAX_INT4, "is not a valid id")
  .meta({ description: "an id (positive integer)" });

/** A database id in a URL path segment. */
export const idParam = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, "must be a positive integer id")
  .transform(Number)
  .refine((n) => n <= MAX_INT4, "is not a valid id")
  .meta({ description: "an id (positive integer)" });

/** A calendar month, "YYYY-MM" (years 1900–2999). */
export const month = z
  .string({ error: typeError('a month as "YYYY-MM"') })
  .regex(MONTH_PATTERN, 'must be a month as "YYYY-MM"')
  .refine((m) => m >= "1900-01" && m <= "2999-12", "must be between 1900-01 and 2999-12")
  .meta({ description: 'a month, "YYYY-MM"', examples: ["2026-11"] });

/** A calendar date, "YYYY-MM-DD". */
export const isoDate = z
  .string({ error: typeError('a date as "YYYY-MM-DD"') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as "YYYY-MM-DD"')
  .refine((d) => {
    const parsed = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d;
  }, "is not a real calendar date")
  .refine((d) => d >= "1900-01-01" && d <= "2999-12-31", "must be between 1900 and 2999")
  .meta({ description: 'a date, "YYYY-MM-DD"', examples: ["2026-11-27"] });

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
      const fail = (message: string) => {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      };
      let raw: string;
      if (typeof input === "number") {
        if (!Number.isFinite(input)) return fail("must be a finite number");
        raw = String(input);
        if (/e/i.test(raw)) return fail(Math.abs(input) < 1 ? `must have at most ${rule.places} decimal places` : "is too large");
      } else if (typeof input === "string") {
        if (input === "") return fail("must not be empty");
        if (!rule.allowNegative && input.startsWith("-") && SIGNED_DECIMAL_TEXT.test(input)) return fail("must not be negative");
        if (!pattern.test(input)) return fail(format);
        raw = input.replace(",", ".");
      } else if (input === undefined) {
        return fail("required");
      } else {
        return fail("must be a decimal number (string or number)");
      }
      const value = new Dec(raw);
      if (value.decimalPlaces() > rule.places) {
        return fail(rule.places === 0 ? "must be a whole number" : `must have at most ${rule.places} decimal places`);
      }
      const min = new Dec(rule.min);
      if (rule.minExclusive ? value.lte(min) : value.lt(min)) {
        return fail(rule.minExclusive ? `must be greater than ${rule.min}` : `must be at least ${rule.min}`);
      }
      const max = new Dec(rule.max);
      if (rule.maxInclusive ? value.gt(max) : value.gte(max)) {
        return fail(rule.maxInclusive ? `must be at most ${rule.max}` : `must be less than ${rule.max}`);
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
    .regex(/^\d{1,9}$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n >= options.min && n <= options.max, `must be between ${options.min} and ${options.max}`)
    .optional()
    .transform((n) => n ?? options.default)
    .meta({ description: `a whole number ${options.min}–${options.max}, default ${options.default}` });
}

export const pagination = {
  limit: queryInt({ min: 1, max: 200, default: 50 }),
  offset: queryInt({ min: 0, max: 1_000_000_000, default: 0 }),
};
