/** People type " 45,5": the spaces around go (the API refuses them rather than guess) and the comma becomes a point. */
export function toDecimalInput(text: string): string {
  return text.trim().replace(",", ".");
}

/** A whole number as typed ("2", " 3 "); anything else goes as typed, for the API to refuse with its own message. */
export function toCount(text: string): number | string {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : trimmed;
}
