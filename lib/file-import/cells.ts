// What the cells of an uploaded file say, as the imports read them: dates, months, account numbers.

const isRealDate = (y: number, m: number, d: number) => {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
};
const pad = (n: number) => String(n).padStart(2, "0");

/** DD.MM.YYYY (or D.M.YY, `/` or `-` between), YYYY-MM-DD; a time after it is ignored. null: not a date. */
export function parseDate(value: string): string | null {
  const text = value.trim().split(/[\sT]/)[0];
  let y: number, m: number, d: number;
  let match = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = text.match(/^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$/))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (match[3].length === 2) y += 2000;
  } else return null;
  return isRealDate(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/** MM.YYYY, MM/YYYY, YYYY-MM, MMYYYY, MM.YY, MMYY → YYYY-MM-01; null: not a month. */
export function parsePeriod(value: string): string | null {
  const text = value.trim();
  let y: number, m: number;
  let match = text.match(/^(\d{4})-(\d{1,2})$/);
  if (match) [y, m] = [Number(match[1]), Number(match[2])];
  else if ((match = text.match(/^(\d{1,2})[./-]?(\d{4}|\d{2})$/))) {
    [m, y] = [Number(match[1]), Number(match[2])];
    if (match[2].length === 2) y += 2000;
  } else return null;
  return isRealDate(y, m, 1) ? `${y}-${pad(m)}-01` : null;
}

/**
 * The account number as an apartment has it: exactly, or (a spreadsheet drops leading zeros)
 * with the zeros the register's number has.
 */
export function accountIndex(accounts: Iterable<[string, number]>): Map<string, number> {
  const index = new Map<string, number>();
  const stripped = new Map<string, number | null>();
  for (const [number, id] of accounts) {
    index.set(number, id);
    const bare = number.replace(/^0+(?=.)/, "");
    stripped.set(bare, stripped.has(bare) ? null : id);
  }
  for (const [bare, id] of stripped) if (id !== null && !index.has(bare)) index.set(bare, id);
  return index;
}
