"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { Dec } from "@/lib/money";
import { useDateLabels } from "../ui/dates";
import { useNumbers } from "../ui/numbers";
import type { ReadingList } from "@/lib/schemas/responses";
import type { ApartmentMeter } from "./queries";

/** Months shown: two years is what a manager compares (a season against the last one). */
const MONTHS_SHOWN = 24;
const COLOURS = { cold_water: "#1d5fbf", hot_water: "#c2410c" } as const;
type Service = ApartmentMeter["service"];

type Row = { month: string } & Partial<Record<Service, number>>;

/**
 * Consumption per month and service, summed over the apartment's meters of that service
 * exactly (decimal.js); the sums become numbers only as bar heights. A month where a service
 * has no consumption (its first reading, or none) has no bar for it.
 */
function monthlyConsumption(meters: ApartmentMeter[], readings: ReadingList[]): { rows: Row[]; services: Service[] } {
  const sums = new Map<string, Partial<Record<Service, Dec>>>();
  const services = new Set<Service>();
  readings.forEach((list, i) => {
    const service = meters[i].service;
    for (const r of list.items) {
      if (r.consumption === null) continue;
      services.add(service);
      const month = sums.get(r.period) ?? {};
      month[service] = (month[service] ?? new Dec(0)).plus(r.consumption);
      sums.set(r.period, month);
    }
  });
  const rows = [...sums.keys()]
    .sort()
    .slice(-MONTHS_SHOWN)
    .map((month) => {
      const row: Row = { month };
      for (const [service, sum] of Object.entries(sums.get(month)!) as [Service, Dec][]) row[service] = sum.toNumber();
      return row;
    });
  const order: Service[] = ["cold_water", "hot_water"];
  return { rows, services: order.filter((s) => services.has(s)) };
}

export function ConsumptionChart({ meters, readings }: { meters: ApartmentMeter[]; readings: ReadingList[] }) {
  const t = useTranslations("apartment");
  const common = useTranslations("common");
  const dates = useDateLabels();
  const numbers = useNumbers();
  const { rows, services } = useMemo(() => monthlyConsumption(meters, readings), [meters, readings]);

  if (rows.length === 0) return <p className="text-slate-600">{t("chart.empty")}</p>;
  return (
    <figure aria-labelledby="consumption-caption" className="space-y-2">
      <figcaption id="consumption-caption" className="text-sm text-slate-600">
        {t("chart.caption")}
      </figcaption>
      <BarChart
        responsive
        style={{ width: "100%", height: 300 }}
        data={rows}
        margin={{ top: 8, right: 8, bottom: 0, left: 8 }}
        title={t("chart.title")}
        desc={t("chart.caption")}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="month" tickFormatter={(m: string) => dates.shortMonth(m)} tick={{ fontSize: 12 }} />
        <YAxis
          tickFormatter={(v: number) => numbers.decimal(String(v), 1)}
          tick={{ fontSize: 12 }}
          width={56}
          label={{ value: numbers.unit("m3"), angle: 0, position: "insideTopLeft", offset: 0, dy: -4, fontSize: 12 }}
        />
        <Tooltip formatter={(value) => numbers.reading(String(value))} labelFormatter={(label) => dates.month(String(label))} />
        <Legend itemSorter={null} />
        {services.map((s) => (
          <Bar key={s} dataKey={s} name={common(`services.${s}`)} fill={COLOURS[s]} isAnimationActive={false} maxBarSize={36} />
        ))}
      </BarChart>
    </figure>
  );
}
