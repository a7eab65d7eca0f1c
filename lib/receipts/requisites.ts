// The checks of an organisation's requisites (issue 17): what a payment document and its QR code
// name as the payee. Pure: each takes the strings as stored and says whether they hold together.

const digits = (s: string) => [...s].map(Number);
const weighted = (ds: number[], weights: readonly number[]) => weights.reduce((sum, w, i) => sum + w * ds[i], 0);

/** INN of a legal entity: 10 digits, the last a check digit. */
const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
/** INN of an individual (an entrepreneur): 12 digits, the last two check digits. */
const INN12_WEIGHTS_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_WEIGHTS_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;

export const INN_PATTERN = /^(\d{10}|\d{12})$/;
/** КПП: the tax office (4 digits), the reason for registration (2 digits or capital Latin letters, Приказ ФНС № ММВ-7-6/435@), a number (3 digits). */
export const KPP_PATTERN = /^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$/;
export const BIC_PATTERN = /^04\d{7}$/;
export const ACCOUNT_PATTERN = /^\d{20}$/;

/**
 * The INN's check digits as the tax service computes them (Приказ МНС России от 03.03.2004
 * № БГ-3-09/178, приложение: each check digit is the weighted sum mod 11, then mod 10).
 * Only the digits are checked here: a well-formed INN (INN_PATTERN) is assumed.
 */
export function innCheckDigitsValid(inn: string): boolean {
  const d = digits(inn);
  const check = (weights: readonly number[]) => (weighted(d, weights) % 11) % 10;
  if (d.length === 10) return check(INN10_WEIGHTS) === d[9];
  if (d.length === 12) return check(INN12_WEIGHTS_11) === d[10] && check(INN12_WEIGHTS_12) === d[11];
  return false;
}

/** Whether an INN is an individual's (12 digits): such a payee has no KPP. */
export const isIndividualInn = (inn: string) => inn.length === 12;

/**
 * The 3 digits an account's key is computed with (Положение Банка России от 06.07.2017 № 579-П,
 * приложение «Порядок расчёта контрольного ключа в номере лицевого счёта», which keeps the
 * algorithm of 1997): for an account in a credit institution, the last 3 digits of its BIC; for
 * an account in a division of the Bank of Russia (a BIC ending in 000, 001 or 002: an РКЦ, ГРКЦ)
 * and for a correspondent account (which is opened there), "0" and the BIC's 5th and 6th digits.
 */
function keyPrefix(bic: string, correspondent: boolean): string {
  const inBankOfRussia = ["000", "001", "002"].includes(bic.slice(6, 9));
  return correspondent || inBankOfRussia ? `0${bic.slice(4, 6)}` : bic.slice(6, 9);
}

const KEY_WEIGHTS = [7, 1, 3];

/** Whether the 23 digits (prefix + account) pass the key: Σ (digit × 7,1,3,7,1,3…) ≡ 0 (mod 10). */
function keyValid(prefix: string, account: string): boolean {
  const d = digits(prefix + account);
  return d.reduce((sum, digit, i) => sum + ((digit * KEY_WEIGHTS[i % 3]) % 10), 0) % 10 === 0;
}

/** A settlement account (расчётный счёт) against the BIC of the bank it is in. */
export function settlementAccountValid(account: string, bic: string): boolean {
  return ACCOUNT_PATTERN.test(account) && /^\d{9}$/.test(bic) && keyValid(keyPrefix(bic, false), account);
}

/**
 * A bank's correspondent account (корреспондентский счёт, 301…) against its BIC: the key, and
 * its last 3 digits are the BIC's last 3 (the bank's number in its division of the Bank of
 * Russia), which tells apart two banks of one region, whose keys use the same prefix.
 */
export function correspondentAccountValid(account: string, bic: string): boolean {
  return (
    ACCOUNT_PATTERN.test(account) &&
    account.startsWith("301") &&
    /^\d{9}$/.test(bic) &&
    account.slice(17) === bic.slice(6) &&
    keyValid(keyPrefix(bic, true), account)
  );
}

/**
 * The key digit (the 9th) that makes the account pass against the BIC: for making test and demo
 * data, and for saying what the key would be.
 */
export function accountWithKey(account: string, bic: string, correspondent = false): string {
  for (let key = 0; key <= 9; key++) {
    const candidate = `${account.slice(0, 8)}${key}${account.slice(9)}`;
    if (keyValid(keyPrefix(bic, correspondent), candidate)) return candidate;
  }
  /* c8 ignore next */
  throw new Error("unreachable: the key digit's weight (3) reaches every residue mod 10");
}
