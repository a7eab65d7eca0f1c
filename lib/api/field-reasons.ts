import type { z } from "zod";
import { FIELD_REASONS, type FieldReason, type ReasonParams } from "./errors";

// What a zod issue means for the person who filled the field: a field reason and its params.
// Our own rules (lib/schemas/common.ts) say their reason in the issue's params (`withReason`);
// zod's built-in checks are read from their code.

/** The params of a custom issue (refine, addIssue) that names its field reason. */
export function withReason(reason: FieldReason, params: ReasonParams = {}): { reason: FieldReason } & ReasonParams {
  return { reason, ...params };
}

const isFieldReason = (value: unknown): value is FieldReason => (FIELD_REASONS as readonly unknown[]).includes(value);

type Issue = z.core.$ZodIssue;

export function issueReason(issue: Issue): { reason: FieldReason; params?: ReasonParams } {
  switch (issue.code) {
    case "custom": {
      const { reason, ...params } = (issue.params ?? {}) as { reason?: unknown } & ReasonParams;
      return isFieldReason(reason) ? { reason, ...(Object.keys(params).length ? { params } : {}) } : { reason: "invalid" };
    }
    case "invalid_type":
      return issue.input === undefined ? { reason: "required" } : { reason: "wrong_type", params: { expected: issue.expected } };
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) return { reason: "empty" };
      if (issue.origin === "array") return { reason: "too_few", params: { min: Number(issue.minimum) } };
      return { reason: "below_min", params: { min: Number(issue.minimum) } };
    case "too_big":
      if (issue.origin === "string") return { reason: "too_long", params: { max: Number(issue.maximum) } };
      if (issue.origin === "array") return { reason: "too_many", params: { max: Number(issue.maximum) } };
      return { reason: "above_max", params: { max: Number(issue.maximum) } };
    case "invalid_value":
      return { reason: "not_one_of", params: { options: issue.values.map(String).join(", ") } };
    case "unrecognized_keys":
      return { reason: "unknown_field" };
    default:
      return { reason: "invalid" };
  }
}
