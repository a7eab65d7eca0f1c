import type { InvoiceLineMeter } from "../schemas/stored";

// How a meter's volume on an invoice was obtained, in words ("среднее за 5 мес.: 3,240 м³",
// "норматив 6,935 м³ × 2 чел.", "перерасчёт: факт 9,100 − начислено по среднему 6,480"), for the
// billing page and the CSV alike: the texts are messages/<lang>/billing.json `explain`, the
// numbers the stored decimal strings, formatted by the caller.

/** A next-intl translator of the `billing.explain` namespace (or one that behaves like it). */
export type ExplainTranslator = (
  key: "average" | "normative" | "nobody" | "trueUp" | "missing" | "expired" | "split",
  values?: Record<string, string | number>,
) => string;

export interface ExplainFormat {
  /** m³, 3 decimals as stored → as shown */
  volume: (value: string) => string;
  /** m³ per person, 4 decimals as stored → as shown */
  normative: (value: string) => string;
  /** "YYYY-MM-DD" → as shown */
  date: (value: string) => string;
}

/**
 * The phrases that explain one meter's volume, in order: how it was obtained (average,
 * normative, true-up), which month without a reading it is, and an expired verification. None
 * for a plain reading, a baseline or a lower reading (their flags say it), nor for meters billed
 * before these details were kept.
 */
export function explainMeter(m: InvoiceLineMeter, t: ExplainTranslator, format: ExplainFormat): string[] {
  const phrases: string[] = [];
  if (m.kind === "average" && m.average) {
    phrases.push(t("average", { months: m.average.months, volume: format.volume(m.consumption) }));
  }
  if (m.kind === "normative" && m.normative) {
    const { residents, normative } = m.normative;
    phrases.push(normative && residents > 0 ? t("normative", { normative: format.normative(normative.value), residents }) : t("nobody"));
  }
  if (m.kind === "true_up" && m.true_up) {
    phrases.push(t("trueUp", { actual: format.volume(m.true_up.actual), by: m.true_up.by, estimated: format.volume(m.true_up.estimated) }));
  }
  if ((m.kind === "average" || m.kind === "normative") && m.missing_months) phrases.push(t("missing", { months: m.missing_months }));
  if (m.verified_until) phrases.push(t("expired", { date: format.date(m.verified_until) }));
  return phrases;
}

/** A true-up line's amount as the receipt shows it: the recalculation of earlier months and the month's charge. */
export function explainSplit(
  split: { recalculation: string; charge: string },
  t: ExplainTranslator,
  money: (value: string) => string,
): string {
  return t("split", { recalculation: money(split.recalculation), charge: money(split.charge) });
}
