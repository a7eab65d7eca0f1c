// Numbers are shown the Russian way in every language ("1 234,50 ₽"), as managers and their
// paperwork expect. Intl formats decimal strings exactly (no float on the way).

const money = new Intl.NumberFormat("ru-RU", { style: "currency", currency: "RUB" });
const fixed = (places: number) => new Intl.NumberFormat("ru-RU", { minimumFractionDigits: places, maximumFractionDigits: places });
const two = fixed(2);
const three = fixed(3);

/** "1234.5" → "1 234,50 ₽" */
export function formatMoney(value: string): string {
  return money.format(value as unknown as number);
}

/** "63.7" → "63,70 m²" */
export function formatArea(value: string): string {
  return `${two.format(value as unknown as number)} m²`;
}

/** "1023.125" → "1 023,125 m³" */
export function formatReading(value: string): string {
  return `${three.format(value as unknown as number)} m³`;
}

/** A decimal string with the given places, Russian style, no unit. */
export function formatDecimal(value: string, places: number): string {
  return fixed(places).format(value as unknown as number);
}

/** A line's quantity in its unit: m³ with three decimals, m² with two, persons and apartments whole ("2 чел."). */
export function formatQuantity(value: string, unit: string, unitSign: string): string {
  if (unit === "m2") return formatArea(value);
  if (unit === "m3") return formatReading(value);
  return `${formatDecimal(value, 0)} ${unitSign}`;
}

/** "m3" → "m³", "m2" → "m²" */
export const UNIT_SIGN: Record<string, string> = { m3: "m³", m2: "m²" };

/**
 * A price per unit with the places it really has, at least kopecks: "47.1200" → "47,12 ₽",
 * "47.1234" → "47,1234 ₽"; with a unit, "47,12 ₽/m³". formatMoney would round it to kopecks and
 * show a price the bill never used.
 */
export function formatPrice(value: string, unit?: string): string {
  const fraction = value.split(".")[1]?.replace(/0+$/, "") ?? "";
  const price = `${formatDecimal(value, Math.max(2, fraction.length))}\u00a0₽`;
  return unit ? `${price}/${UNIT_SIGN[unit] ?? unit}` : price;
}
