import { parsePhoneNumberFromString } from "libphonenumber-js";

/** "8 (999) 123-45-67" and "+79991234567" are the same person: both → "+79991234567". */
export function normalizePhone(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input, "RU");
  return parsed?.isValid() ? parsed.number : null;
}
