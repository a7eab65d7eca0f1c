import { ApiClientError } from "../api";
import { dangerButtonClass, secondaryButtonClass } from "../ui/field";

/**
 * Forms lay their fields out top-aligned, so that an error under one field does not push the
 * others about; a button beside them drops by the height of a label (text-sm line + mb-1).
 */
export const BESIDE_FIELDS = "mt-6";

/** dangerButtonClass at the height of buttonClass, for a form row. */
export const formDangerButtonClass = dangerButtonClass.replace("py-1.5", "py-2").replace("text-sm", "text-base");
export const formSecondaryButtonClass = secondaryButtonClass.replace("py-1.5", "py-2").replace("text-sm", "text-base");

/**
 * A failed save of a form with several fields: the server's per-field messages go under their
 * fields; when it named none of them, its message is the form's.
 */
export function formErrors<F extends string>(error: unknown, names: readonly F[]): { fields: Partial<Record<F, string>>; form?: string } {
  if (!error) return { fields: {} };
  const given = error instanceof ApiClientError ? (error.fields ?? {}) : {};
  const fields: Partial<Record<F, string>> = {};
  for (const name of names) if (given[name]) fields[name] = given[name];
  return Object.keys(fields).length > 0 ? { fields } : { fields, form: (error as Error).message };
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="w-full rounded bg-red-50 p-2 text-sm text-red-800">
      {message}
    </p>
  );
}
