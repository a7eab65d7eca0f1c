import Decimal from "decimal.js";

/**
 * Our own Decimal constructor so that no other code's global configuration can change the
 * rounding used for money. Half-up is what Russian billing rules and customers expect.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

const MONEY_ROUNDING = Decimal.ROUND_HALF_UP;

/** Rounds to kopecks, half-up, and renders with exactly two decimals ("1234.50"). */
export function roundMoney(value: Decimal.Value): string {
  return new Dec(value).toDecimalPlaces(2, MONEY_ROUNDING).toFixed(2);
}
