import { z } from "zod";
import { normalizePhone } from "../auth/phone";
import { INVITE_ALPHABET } from "../auth/tokens";
import { id, text } from "./common";

/** Any common way of writing a phone; the result is E.164 ("+79991234567"), default region RU. */
const phone = z
  .string({ error: (i) => (i.input === undefined ? "required" : "must be a phone number as text") })
  .max(40, "is too long for a phone number")
  .transform((value, ctx) => {
    const normalized = normalizePhone(value);
    if (!normalized) {
      ctx.addIssue({ code: "custom", message: "is not a valid phone number (e.g. +7 999 123-45-67)" });
      return z.NEVER;
    }
    return normalized;
  });

export const loginBody = z.strictObject({ phone });
/**
 * The 6-digit code from the SMS, as text ("042135") or, as the seed's README documented it, as a
 * JSON integer (42135: the leading zeros a number cannot keep are put back).
 */
const loginCode = z
  .unknown()
  .transform((input, ctx) => {
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (input === undefined) return fail("required");
    if (typeof input !== "string" && typeof input !== "number")
      return fail("must be the 6-digit code from the SMS, as text or a whole number");
    const code = typeof input === "string" ? input.trim() : Number.isInteger(input) && input >= 0 ? String(input).padStart(6, "0") : "";
    if (!/^\d{6}$/.test(code)) return fail("must be the 6-digit code from the SMS");
    return code;
  })
  .meta({
    anyOf: [
      { type: "string", pattern: "^\\s*\\d{6}\\s*$" },
      { type: "integer", minimum: 0, maximum: 999_999 },
    ],
    description: 'the 6-digit code from the SMS: best as text ("042135"); an integer (42135) is read with its leading zeros put back',
  });

export const verifyBody = z.strictObject({ phone, token: loginCode });

const inviteCode = z
  .string({ error: (i) => (i.input === undefined ? "required" : "must be an invite code as text") })
  .trim()
  .toUpperCase()
  .regex(new RegExp(`^[${INVITE_ALPHABET}]{6}$`), "must be 6 letters and digits (no 0, O, 1 or I)");

export const updateProfileBody = z.strictObject({ foreign_invite_code: inviteCode });
export const createApiKeyBody = z.strictObject({ name: text(100), workspace_id: id.optional() });
