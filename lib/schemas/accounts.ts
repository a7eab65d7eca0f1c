import { z } from "zod";
import { withReason } from "../api/field-reasons";
import { normalizePhone } from "../auth/phone";
import { INVITE_ALPHABET } from "../auth/tokens";
import { MEMBER_ROLES } from "../constants";
import { id, idParam, text, typeError } from "./common";

/** Any common way of writing a phone; the result is E.164 ("+79991234567"), default region RU. */
export const phone = z
  .string({ error: (i) => (i.input === undefined ? "required" : "must be a phone number as text") })
  .max(40, "is too long for a phone number")
  .transform((value, ctx) => {
    const normalized = normalizePhone(value);
    if (!normalized) {
      ctx.addIssue({ code: "custom", message: "is not a valid phone number (e.g. +7 999 123-45-67)", params: withReason("not_phone") });
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
    const fail = (message: string, reason: "required" | "not_login_code") => {
      ctx.addIssue({ code: "custom", message, params: withReason(reason) });
      return z.NEVER;
    };
    if (input === undefined) return fail("required", "required");
    if (typeof input !== "string" && typeof input !== "number")
      return fail("must be the 6-digit code from the SMS, as text or a whole number", "not_login_code");
    const code = typeof input === "string" ? input.trim() : Number.isInteger(input) && input >= 0 ? String(input).padStart(6, "0") : "";
    if (!/^\d{6}$/.test(code)) return fail("must be the 6-digit code from the SMS", "not_login_code");
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

const INVITE_CODE = new RegExp(`^[${INVITE_ALPHABET}]{6}$`);
const inviteCode = z
  .string({ error: (i) => (i.input === undefined ? "required" : "must be an invite code as text") })
  .trim()
  .toUpperCase()
  .refine((s) => INVITE_CODE.test(s), { message: "must be 6 letters and digits (no 0, O, 1 or I)", params: withReason("not_invite_code") })
  .meta({ pattern: INVITE_CODE.source });

export const updateProfileBody = z.strictObject({ foreign_invite_code: inviteCode });
const memberRole = z.enum(MEMBER_ROLES, { error: typeError(`one of ${MEMBER_ROLES.join(", ")}`) });

export const createApiKeyBody = z.strictObject({
  name: text(100),
  workspace_id: id.optional(),
  role: memberRole
    .default("accountant")
    .meta({ description: "what the key may do (default accountant, as every key did before roles): never above your own role" }),
});

// ---- members ----

export const memberParams = z.strictObject({ id: idParam, person_id: idParam });

/**
 * One change of a member: `{ role }` changes an active member's role, `{ status: "active", role }`
 * admits a pending (or earlier declined) one with that role, `{ status: "declined" }` turns a
 * pending one down. Removing a member is DELETE.
 */
export const updateMemberBody = z
  .strictObject({
    role: memberRole.optional().meta({ description: "the member's role: required unless declining" }),
    status: z
      .enum(["active", "declined"], { error: typeError("active or declined") })
      .optional()
      .meta({ description: "active: admit a pending activation (with `role`); declined: turn it down (without `role`)" }),
  })
  .superRefine((body, ctx) => {
    if (body.status === "declined" && body.role !== undefined) {
      ctx.addIssue({ code: "custom", path: ["role"], message: "is not taken when declining", params: withReason("invalid") });
    } else if (body.status !== "declined" && body.role === undefined) {
      ctx.addIssue({ code: "custom", path: ["role"], message: "required", params: withReason("required") });
    }
  });
export type UpdateMemberBody = z.output<typeof updateMemberBody>;

export const endSessionsQuery = z.strictObject({
  include_current: z
    .enum(["true", "false"], { error: typeError("true or false") })
    .optional()
    .transform((value) => value === "true")
    .meta({ description: "true: end the session making the request too (as logout does); default false" }),
});
