"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { BOARD_STATES, type BoardState, type MemberRole } from "@/lib/constants";
import type { MonthChoice } from "@/lib/months";
import type { MonthBoardHouse } from "@/lib/schemas/responses";
import { PeriodPicker } from "../readings/period-picker";
import { useDateLabels } from "../ui/dates";
import { useErrorTexts } from "../ui/errors";
import { MonthHeading } from "../ui/month";
import { MonthProblem } from "../ui/month-problem";
import { useMonthBoard } from "./queries";
import { RoleNote, useCan } from "../accounts/roles";
import { can, ROLES } from "@/lib/auth/roles";

/** A figure of the table: a column on a desktop, "label: value" on a phone's card. */
const CELL =
  "px-4 py-2 align-top max-sm:p-0 max-sm:text-sm max-sm:before:mr-1 max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)':']";

const STATE_STYLE: Record<BoardState, string> = {
  collecting: "bg-amber-100 text-amber-900",
  blocked: "bg-red-100 text-red-900",
  ready: "bg-sky-100 text-sky-900",
  draft: "bg-violet-100 text-violet-900",
  out_of_date: "bg-orange-100 text-orange-900",
  posted: "bg-green-100 text-green-900",
};

/** Who may take each state's next step (lib/auth/roles.ts): entering readings, prices, billing, reading the invoices. */
const STEP_ROLES: Record<BoardState, readonly MemberRole[]> = {
  collecting: ROLES.enterReadings,
  blocked: ROLES.manage,
  ready: ROLES.manage,
  draft: ROLES.manage,
  out_of_date: ROLES.manage,
  posted: ROLES.readBilling,
};

/** The page that moves a house's month forward from its state. */
function nextStep(house: MonthBoardHouse, period: string): string {
  if (house.state === "collecting") return `/houses/${house.house_id}/readings?period=${period}&filter=missing`;
  if (house.state === "blocked") return "/tariffs";
  return `/houses/${house.house_id}/billing?period=${period}`;
}

/**
 * The month board, the first page after sign-in: every house's state in the month with a link to
 * the page that moves it forward, the workspace's totals, and the houses filtered by state.
 */
export function MonthBoardView({ choice, currentMonth }: { choice: MonthChoice; currentMonth: string }) {
  const t = useTranslations("board");
  const common = useTranslations("common");
  const router = useRouter();
  const errors = useErrorTexts();
  const period = choice.kind === "invalid" ? currentMonth : choice.month;
  const board = useMonthBoard(choice.kind === "ok" ? period : undefined);
  const [only, setOnly] = useState<BoardState | "all">("all");
  const manage = useCan(ROLES.manage, board.data?.workspace_id);

  return (
    <section aria-labelledby="board-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <MonthHeading id="board-heading" title={t("title")} month={choice.kind === "invalid" ? null : period} />
          <p className="text-slate-700">{t("intro")}</p>
        </div>
        {choice.kind === "ok" && (
          <PeriodPicker
            value={period}
            max={currentMonth}
            onChange={(month) => {
              router.push(`/months/${month}`);
              return true;
            }}
          />
        )}
      </div>

      {choice.kind !== "ok" && <MonthProblem choice={choice} back={{ href: `/months/${currentMonth}`, month: currentMonth }} />}
      {board.isLoading && <p role="status">{common("loading")}</p>}
      {board.isError && (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded bg-red-50 p-3 text-red-800">
          <span>{common("loadFailed", { message: errors.message(board.error) })}</span>
          <button type="button" className="underline" onClick={() => void board.refetch()}>
            {common("retry")}
          </button>
        </div>
      )}
      {board.isSuccess &&
        (board.data.houses.length === 0 ? (
          <p className="rounded-lg bg-white p-4 text-slate-700 shadow-sm">
            {t("empty")}{" "}
            <Link prefetch={false} href="/houses" className="text-brand-700 underline">
              {t("addHouse")}
            </Link>
          </p>
        ) : (
          <>
            <RoleNote check={manage} />
            <Totals totals={board.data.totals} />
            <div role="group" aria-label={t("filter")} className="flex flex-wrap gap-2">
              {(["all", ...BOARD_STATES] as const).map((s) => (
                <button
                  key={s}
                  type="button"
                  aria-pressed={only === s}
                  onClick={() => setOnly(s)}
                  className="rounded-full border border-slate-300 bg-white px-3 py-1 text-sm aria-pressed:border-brand-600 aria-pressed:bg-brand-50 aria-pressed:text-brand-800"
                >
                  {s === "all" ? t("all", { count: board.data.totals.houses }) : `${t(`states.${s}`)} (${board.data.totals.states[s]})`}
                </button>
              ))}
            </div>
            <HouseTable houses={board.data.houses.filter((h) => only === "all" || h.state === only)} period={period} role={manage.role} />
            <details className="rounded-lg bg-white p-4 text-sm shadow-sm">
              <summary className="cursor-pointer font-medium">{t("legendHeading")}</summary>
              <dl className="mt-2 space-y-1">
                {BOARD_STATES.map((s) => (
                  <div key={s}>
                    <dt className="inline font-medium">{t(`states.${s}`)}</dt> — <dd className="inline">{t(`legend.${s}`)}</dd>
                  </div>
                ))}
              </dl>
            </details>
          </>
        ))}
    </section>
  );
}

function Totals({ totals }: { totals: NonNullable<ReturnType<typeof useMonthBoard>["data"]>["totals"] }) {
  const t = useTranslations("board");
  return (
    <section aria-labelledby="totals-heading" className="rounded-lg bg-white p-4 shadow-sm">
      <h2 id="totals-heading" className="text-lg font-semibold">
        {t("totals.heading")}
      </h2>
      <ul className="mt-1 space-y-1 text-slate-800">
        <li>{t("totals.readings", { readings: totals.readings, meters: totals.meters, percent: totals.percent })}</li>
        <li>
          {t("totals.estimates", {
            average: totals.estimated_average,
            normative: totals.estimated_normative,
            expired: totals.verification_expired,
          })}
        </li>
        <li>
          {t("totals.invoices", { invoices: totals.invoices, outOfDate: totals.out_of_date, without: totals.apartments_without_invoice })}
        </li>
      </ul>
    </section>
  );
}

function HouseTable({ houses, period, role }: { houses: MonthBoardHouse[]; period: string; role: MemberRole | null }) {
  const t = useTranslations("board");
  const common = useTranslations("common");
  const locale = useLocale() === "en" ? "en" : "ru";
  const dates = useDateLabels();
  if (houses.length === 0) return <p className="rounded-lg bg-white p-4 text-slate-700 shadow-sm">{t("nothingShown")}</p>;
  return (
    <div className="rounded-lg bg-white shadow-sm">
      <table className="w-full text-left max-sm:block">
        <caption className="sr-only">{t("title")}</caption>
        <thead className="bg-slate-100 text-sm text-slate-700 max-sm:sr-only">
          <tr>
            {(["house", "state", "readings", "estimates", "invoices"] as const).map((c) => (
              <th key={c} scope="col" className="px-4 py-2">
                {t(`columns.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="max-sm:block">
          {houses.map((h) => (
            <tr key={h.house_id} className="border-t border-slate-100 max-sm:flex max-sm:flex-col max-sm:gap-1 max-sm:px-3 max-sm:py-3">
              <th scope="row" className="px-4 py-2 align-top font-normal max-sm:p-0">
                <Link prefetch={false} href={`/houses/${h.house_id}`} className="break-words text-brand-700 hover:underline">
                  {h.address}
                </Link>
              </th>
              <td className={CELL} data-label={t("columns.state")}>
                <span className={`inline-block rounded px-2 py-0.5 text-sm font-medium ${STATE_STYLE[h.state]}`}>
                  {t(`states.${h.state}`)}
                </span>
                {h.blocking.length > 0 && (
                  <ul className="mt-1 text-sm text-red-800">
                    {h.blocking.map((b) => (
                      <li key={`${b.problem}-${b.service}`}>
                        {t(`blocking.${b.problem}`, {
                          service: (locale === "en" ? b.name_en : b.name_ru) ?? common(`services.${b.service}`),
                        })}
                      </li>
                    ))}
                  </ul>
                )}
                {can(role, STEP_ROLES[h.state]) && (
                  <Link
                    prefetch={false}
                    href={nextStep(h, period)}
                    className="mt-1 block text-sm text-brand-700 underline max-sm:inline max-sm:ml-2"
                  >
                    {t(`actions.${h.state}`)}
                    <span className="sr-only">: {h.address}</span>
                  </Link>
                )}
              </td>
              <td className={CELL} data-label={t("columns.readings")}>
                {h.meters === 0 ? t("noMeters") : t("readingsCell", { readings: h.readings, meters: h.meters, percent: h.percent })}
              </td>
              <td className={CELL} data-label={t("columns.estimates")}>
                {h.estimated_average + h.estimated_normative === 0
                  ? t("noEstimates")
                  : t("estimatesCell", { average: h.estimated_average, normative: h.estimated_normative })}
                {h.verification_expired > 0 && (
                  <span className="block text-sm text-slate-700">{t("expired", { count: h.verification_expired })}</span>
                )}
              </td>
              <td className={CELL} data-label={t("columns.invoices")}>
                {h.invoices === 0 ? t("notBilled") : t("invoicesCell", { count: h.invoices })}
                {h.out_of_date > 0 && <span className="block text-sm text-orange-900">{t("outOfDate", { count: h.out_of_date })}</span>}
                {h.invoices > 0 && h.apartments_without_invoice > 0 && (
                  <span className="block text-sm text-orange-900">{t("withoutInvoice", { count: h.apartments_without_invoice })}</span>
                )}
                {h.posted_at && (
                  <span className="block text-sm text-green-900">{t("postedAt", { date: dates.dateTime(h.posted_at) })}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
