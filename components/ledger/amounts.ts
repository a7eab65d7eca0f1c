// Signs of the API's decimal strings, read from the text: money is never parsed into a JS number.

/** "-12.50" → true; "0.00", "-0.00" and "12.50" → false */
export const isNegative = (value: string) => value.startsWith("-") && !isZero(value);

export const isZero = (value: string) => /^-?0*(\.0*)?$/.test(value);

/** "-12.50" → "12.50" */
export const absolute = (value: string) => value.replace(/^-/, "");

/** What a person typed as money, as the API takes it: "1 500,5" → "1500.5" */
export const typedDecimal = (text: string) => text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
