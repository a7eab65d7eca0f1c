import type { DbOrTx } from "../../db/client";
import { boardHouses } from "../../db/queries/board";
import { requireWorkspace, type Scope } from "../auth/scope";
import { BOARD_STATES, type BoardState } from "../constants";
import { monthToDate, type Month } from "../months";
import { assertNotFuture } from "../periods";
import { toIso } from "../registry/serialize";
import type { MonthBoard, MonthBoardHouse } from "../schemas/responses";
import { checkHouses, emptyCounts } from "./billing-check";

export interface MonthBoardOptions {
  period: Month;
  /** one of the caller's workspaces; default: their own */
  workspaceId?: number;
}

type Figures = Omit<MonthBoardHouse, "house_id" | "address" | "state" | "blocking" | "closed" | "posted_at">;

/** Readings of meters in per cent, rounded down: 100 only when every meter is read (or there is none). */
const percentOf = (readings: number, meters: number) => (meters === 0 ? 100 : Math.floor((readings * 100) / meters));

/** The house's state in the month: the first of lib/constants.ts BOARD_STATES's precedence that holds. */
function stateOf(house: Figures & { blocking: unknown[]; closed: boolean }): BoardState {
  if (house.closed) return "posted";
  if (house.blocking.length > 0) return "blocked";
  if (house.invoices > 0) return house.out_of_date > 0 || house.apartments_without_invoice > 0 ? "out_of_date" : "draft";
  return house.missing > 0 ? "collecting" : "ready";
}

/**
 * The month board: every house of a workspace with its state in the month — readings collected,
 * what a run would estimate and what blocks it (the check before billing's own rules, over the
 * whole workspace at once), its draft or posted invoices — and the workspace's totals.
 */
export async function getMonthBoard(db: DbOrTx, scope: Scope, options: MonthBoardOptions): Promise<MonthBoard> {
  const workspaceId = requireWorkspace(scope, options.workspaceId);
  assertNotFuture(options.period, "a month's board can be shown");
  const [rows, checks] = await Promise.all([
    boardHouses(db, workspaceId, monthToDate(options.period)),
    checkHouses(db, { workspaceId }, options.period, { suspicion: false }),
  ]);
  const houses = rows.map((row): MonthBoardHouse => {
    const { counts, blocking } = checks.get(row.house_id) ?? { counts: emptyCounts(), blocking: [] };
    const readings = counts.meters - counts.no_reading;
    const figures: Figures = {
      apartments: row.apartments,
      meters: counts.meters,
      readings,
      missing: counts.no_reading,
      percent: percentOf(readings, counts.meters),
      estimated_average: counts.estimated_average,
      estimated_normative: counts.estimated_normative,
      verification_expired: counts.verification_expired,
      invoices: row.invoices,
      apartments_without_invoice: row.apartments_without_invoice,
      out_of_date: row.out_of_date,
    };
    return {
      house_id: row.house_id,
      address: row.address,
      state: stateOf({ ...figures, blocking, closed: row.closed }),
      ...figures,
      blocking,
      closed: row.closed,
      posted_at: row.posted_at === null ? null : toIso(row.posted_at),
    };
  });

  const states = Object.fromEntries(BOARD_STATES.map((s) => [s, 0])) as Record<BoardState, number>;
  const sum = (key: Exclude<keyof Figures, "percent">) => houses.reduce((total, h) => total + h[key], 0);
  for (const h of houses) states[h.state]++;
  const [meters, readings] = [sum("meters"), sum("readings")];
  return {
    workspace_id: workspaceId,
    period: options.period,
    totals: {
      houses: houses.length,
      apartments: sum("apartments"),
      meters,
      readings,
      missing: sum("missing"),
      percent: percentOf(readings, meters),
      estimated_average: sum("estimated_average"),
      estimated_normative: sum("estimated_normative"),
      verification_expired: sum("verification_expired"),
      invoices: sum("invoices"),
      apartments_without_invoice: sum("apartments_without_invoice"),
      out_of_date: sum("out_of_date"),
      states,
    },
    houses,
  };
}
