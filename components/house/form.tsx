import { dangerButtonClass, secondaryButtonClass } from "../ui/field";

/**
 * Forms lay their fields out top-aligned, so that an error under one field does not push the
 * others about; a button beside them drops by the height of a label (text-sm line + mb-1).
 */
export const BESIDE_FIELDS = "mt-6";

/** dangerButtonClass at the height of buttonClass, for a form row. */
export const formDangerButtonClass = dangerButtonClass.replace("py-1.5", "py-2").replace("text-sm", "text-base");
export const formSecondaryButtonClass = secondaryButtonClass.replace("py-1.5", "py-2").replace("text-sm", "text-base");

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="w-full rounded bg-red-50 p-2 text-sm text-red-800">
      {message}
    </p>
  );
}
