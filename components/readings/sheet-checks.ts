import type { ReadingSheetItem } from "@/lib/schemas/responses";
import { checkRow, type RowCheck } from "./entry";

// The checks of a whole sheet, split so that a keystroke costs what was typed, not the house:
// the rows as the server sent them are checked once per sheet (`checkSheet`), and each render
// checks only the rows typed into (`withTyped`). A house has up to 2,000 meters, and the sheet
// renders at every key.

export interface SheetBase {
  /** each item's check with nothing typed, by item index */
  checks: RowCheck[];
  /** item index by meter id */
  indexOf: Map<number, number>;
  /** rows with a value / with a suspicious value, nothing typed */
  filled: number;
  unusual: number;
}

export interface SheetChecks {
  /** a row's check by item index */
  at: (index: number) => RowCheck;
  /** the rows typed into, in sheet order */
  typed: { index: number; check: RowCheck }[];
  changed: number;
  problems: number;
  filled: number;
  unusual: number;
}

/** A typed row's last check, kept while its item and text stay the same (memoised rows then skip rendering). */
export type CheckCache = WeakMap<ReadingSheetItem, { typed: string; check: RowCheck }>;

export function checkSheet(items: ReadingSheetItem[], period: string): SheetBase {
  const checks = items.map((item) => checkRow(item, undefined, period));
  return {
    checks,
    indexOf: new Map(items.map((item, index) => [item.meter_id, index])),
    filled: checks.filter((c) => c.value).length,
    unusual: checks.filter((c) => c.suspicion).length,
  };
}

/** The sheet with `drafts` (typed text by meter id) in its inputs. */
export function withTyped(
  base: SheetBase,
  items: ReadingSheetItem[],
  period: string,
  drafts: Record<number, string>,
  cache: CheckCache,
): SheetChecks {
  const typed: SheetChecks["typed"] = [];
  const byIndex = new Map<number, RowCheck>();
  let changed = 0;
  let problems = 0;
  let { filled, unusual } = base;
  for (const [meterId, text] of Object.entries(drafts)) {
    const index = base.indexOf.get(Number(meterId));
    if (index === undefined) continue;
    const item = items[index];
    const hit = cache.get(item);
    let check: RowCheck;
    if (hit && hit.typed === text) check = hit.check;
    else {
      check = checkRow(item, text, period);
      cache.set(item, { typed: text, check });
    }
    const untouched = base.checks[index];
    if (check.changed) changed++;
    if (check.problem) problems++;
    filled += Number(!!check.value) - Number(!!untouched.value);
    unusual += Number(!!check.suspicion) - Number(!!untouched.suspicion);
    typed.push({ index, check });
    byIndex.set(index, check);
  }
  typed.sort((a, b) => a.index - b.index);
  return { at: (index) => byIndex.get(index) ?? base.checks[index], typed, changed, problems, filled, unusual };
}
