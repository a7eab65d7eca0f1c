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
export const verifyBody = z.strictObject({
  phone,
  token: z
    .string({ error: (i) => (i.input === undefined ? "required" : "must be the 6-digit code as text") })
    .trim()
    .regex(/^\d{6}$/, "must be the 6-digit code from the SMS"),
});

const inviteCode = z
  .string({ error: (i) => (i.input === undefined ? "required" : "must be an invite code as text") })
  .trim()
  .toUpperCase()
  .regex(new RegExp(`^[${INVITE_ALPHABET}]{6}$`), "must be 6 letters and digits (no 0, O, 1 or I)");

export const updateProfileBody = z.strictObject({ foreign_invite_code: inviteCode });
export const createApiKeyBody = z.strictObject({ name: text(100), workspace_id: id.optional() });
