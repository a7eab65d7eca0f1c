/**
 * Russian-style rendering of a decimal string without going through a JS number:
 * "1234.5" → "1 234,5" (thin non-breaking space between groups, comma before decimals).
 */
export function formatDecimal(value: string, options: { places?: number } = {}): string {
  const negative = value.startsWith("-");
  const [intPart, fracPart = ""] = value.replace(/^[-+]/, "").split(".");
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  const frac = options.places === undefined ? fracPart : fracPart.padEnd(options.places, "0").slice(0, options.places);
  return `${negative ? "−" : ""}${grouped}${frac ? `,${frac}` : ""}`;
}

export function formatArea(value: string): string {
  return `${formatDecimal(value, { places: 2 })} m²`;
}
