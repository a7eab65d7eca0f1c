import type { Unit } from "./constants";

// Numbers as the reader writes them: "1 234,50 ₽", "38,40 м²", "3,500 м³" in Russian,
// "₽1,234.50", "38.40 m²", "3.500 m³" in English. Intl formats decimal strings exactly (no float
// on the way). The CSV (lib/billing/invoices-csv.ts) writes its own plain numbers.

type NumberLanguage = "ru" | "en";

const UNIT_SIGNS: Record<NumberLanguage, Record<Unit, string>> = {
  ru: { m3: "м³", m2: "м²", person: "чел.", apartment: "кв." },
  en: { m3: "m³", m2: "m²", person: "person", apartment: "apartment" },
};
/** The decimals a quantity is shown with: m³ three, m² two, persons and apartments none. */
export const UNIT_PLACES: Record<Unit, number> = { m3: 3, m2: 2, person: 0, apartment: 0 };

/** The decimals a price has, at least kopecks: "47.1200" → 2, "47.1234" → 4. */
export const pricePlaces = (value: string): number => Math.max(2, value.split(".")[1]?.replace(/0+$/, "").length ?? 0);
const TAGS: Record<NumberLanguage, string> = { ru: "ru-RU", en: "en-US" };

export interface NumberFormats {
  language: NumberLanguage;
  /** "1234.5" → "1 234,50 ₽" / "₽1,234.50" */
  money(value: string): string;
  /** "63.7" → "63,70 м²" / "63.70 m²" */
  area(value: string): string;
  /** "1023.125" → "1 023,125 м³" / "1,023.125 m³" */
  reading(value: string): string;
  /** a quantity in its unit: m³ with three decimals, m² with two, persons and apartments whole */
  quantity(value: string, unit: Unit): string;
  /** a decimal string with the given places, no unit */
  decimal(value: string, places: number): string;
  /** a whole number: 1000 → "1 000" / "1,000" */
  integer(value: number): string;
  /**
   * A price per unit with the places it really has, at least kopecks: "47.1200" → "47,12 ₽",
   * "47.1234" → "47,1234 ₽"; with a unit, "47,12 ₽/м³". money() would round it to kopecks and
   * show a price the bill never used.
   */
  price(value: string, unit?: Unit): string;
  /** "m3" → "м³" / "m³" */
  unit(unit: Unit): string;
  /** what a typed decimal looks like in this language: "125.500" → "125,500" / "125.500" */
  input(value: string): string;
}

const cache = new Map<NumberLanguage, NumberFormats>();

/** The number formats of a locale ("ru", "en-US", …); anything not English reads as Russian. */
export function numberFormats(locale: string): NumberFormats {
  const language: NumberLanguage = locale.toLowerCase().startsWith("en") ? "en" : "ru";
  const known = cache.get(language);
  if (known) return known;
  const tag = TAGS[language];
  const money = new Intl.NumberFormat(tag, { style: "currency", currency: "RUB", currencyDisplay: "narrowSymbol" });
  const fixed = new Map<number, Intl.NumberFormat>();
  const prices = new Map<number, Intl.NumberFormat>();
  const decimal = (value: string, places: number) => {
    let format = fixed.get(places);
    if (!format) fixed.set(places, (format = new Intl.NumberFormat(tag, { minimumFractionDigits: places, maximumFractionDigits: places })));
    return format.format(value as unknown as number);
  };
  const signs = UNIT_SIGNS[language];
  const withUnit = (number: string, unit: Unit) => `${number}\u00a0${signs[unit]}`;
  const formats: NumberFormats = {
    language,
    money: (value) => money.format(value as unknown as number),
    area: (value) => withUnit(decimal(value, 2), "m2"),
    reading: (value) => withUnit(decimal(value, 3), "m3"),
    quantity: (value, unit) => withUnit(decimal(value, UNIT_PLACES[unit]), unit),
    decimal,
    integer: (value) => decimal(String(value), 0),
    price: (value, unit) => {
      const places = pricePlaces(value);
      let format = prices.get(places);
      if (!format)
        prices.set(
          places,
          (format = new Intl.NumberFormat(tag, {
            style: "currency",
            currency: "RUB",
            currencyDisplay: "narrowSymbol",
            minimumFractionDigits: places,
            maximumFractionDigits: places,
          })),
        );
      const price = format.format(value as unknown as number);
      return unit ? `${price}/${signs[unit]}` : price;
    },
    unit: (unit) => signs[unit],
    input: (value) => (language === "ru" ? value.replace(".", ",") : value),
  };
  cache.set(language, formats);
  return formats;
}
