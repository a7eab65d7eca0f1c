import type { DbOrTx } from "../../db/client";
import * as services from "../../db/queries/services";
import * as tariffs from "../../db/queries/tariffs";
import { ApiError, fieldError, notFound } from "../api/errors";
import { pickWorkspace, type Scope } from "../auth/scope";
import { dateToMonth, monthToDate } from "../months";
import type { CreateTariffBody, UpdateTariffBody } from "../schemas/registry";
import type { Tariff, TariffList } from "../schemas/responses";
import { findHouse } from "./houses";
import { serializeTariff } from "./serialize";

/**
 * Price history. With a house: that house's own prices and the workspace defaults that apply
 * to it; without: every price of the caller's workspaces. Newest first within each service.
 */
export async function listTariffs(db: DbOrTx, scope: Scope, options: { houseId?: number }): Promise<TariffList> {
  const rows =
    options.houseId !== undefined
      ? await findHouse(db, scope, options.houseId).then((owner) =>
          tariffs.listTariffs(db, { workspaceId: owner.workspaceId, houseId: owner.id }),
        )
      : await tariffs.listTariffs(db, { workspaceIds: scope.workspaceIds });
  return { items: rows.map(serializeTariff) };
}

/**
 * A new price from a month on. A change of price is a new row; a price never billed can be
 * corrected (updateTariff). The first price of a service that has none switches it on (a new
 * service is inactive until priced).
 */
export async function createTariff(db: DbOrTx, scope: Scope, body: CreateTariffBody): Promise<Tariff> {
  const houseId = body.house_id ?? null;
  const workspaceId = houseId === null ? pickWorkspace(scope, body.workspace_id) : (await findHouse(db, scope, houseId)).workspaceId;
  if (workspaceId === null) throw notFound("workspace", body.workspace_id);
  return db.transaction(async (tx) => {
    const found = await services.findServiceByCode(tx, workspaceId, body.service);
    if (!found) {
      const message = `the workspace has no service ${body.service}: add it first (POST /api/services)`;
      throw new ApiError({
        reason: "invalid_input",
        message,
        fields: { service: fieldError("unknown_service", message, { service: body.service }) },
      });
    }
    await services.activateIfUnpriced(tx, found.id);
    const row = await tariffs.insertTariff(tx, {
      workspaceId,
      houseId,
      serviceId: found.id,
      price: body.price,
      validFrom: monthToDate(body.valid_from),
    });
    await refuseTakingBilledMonth(tx, row.id);
    return serializeTariff(row);
  });
}

/**
 * The price of a tariff, locked, when nothing has been billed with it yet: a mistake can be
 * corrected until a month is billed with the price; after that the bills keep it, and a change
 * is a new price from a later month. 409 tariff_used otherwise.
 */
async function unusedTariff(tx: DbOrTx, scope: Scope, tariffId: number) {
  const row = await tariffs.lockTariff(tx, { workspaceIds: scope.workspaceIds, tariffId });
  if (!row) throw notFound("tariff", tariffId);
  const use = await tariffs.tariffUse(tx, tariffId);
  if (use.invoices > 0 || use.runs > 0) {
    throw new ApiError({
      reason: "tariff_used",
      message: `this price has been billed (${use.invoices} invoices${use.runs ? `, ${use.runs} runs under way` : ""}): it cannot be changed or deleted; add a new price from a later month`,
      params: { invoices: use.invoices },
    });
  }
  return row;
}

/**
 * A billed month keeps the price it was billed with. A price written in this transaction (new, or
 * its first month moved) that would be the price in force (the house's own price with the latest
 * first month up to the month, else the workspace's) for a house and month whose invoices billed
 * the service at another price is refused: 409 tariff_covers_billed_month, naming the earliest
 * such month and its house. The transaction rolls back, so nothing is written. A price from
 * after the billed months, or one outranked there by a house's own price, is fine.
 */
async function refuseTakingBilledMonth(tx: DbOrTx, tariffId: number): Promise<void> {
  const taken = await tariffs.billedMonthTakenByTariff(tx, tariffId);
  if (!taken) return;
  throw coversBilledMonth("price", taken);
}

/**
 * 409 tariff_covers_billed_month or normative_covers_billed_month: the earliest billed month the
 * new price or normative would take over, and its house, in the params and at valid_from.
 */
export function coversBilledMonth(what: "price" | "normative", taken: tariffs.BilledMonthTaken): ApiError {
  const month = dateToMonth(taken.period);
  const other = what === "price" ? "at another price" : "with another normative";
  return new ApiError({
    reason: what === "price" ? "tariff_covers_billed_month" : "normative_covers_billed_month",
    message: `${month} is billed for house ${taken.houseId} (${taken.address}) ${other}: this ${what} would replace it there; start it after the billed months`,
    params: { month, house_id: taken.houseId, address: taken.address },
    fields: { valid_from: fieldError("covers_billed_month", `${month} is already billed ${other}`, { month, address: taken.address }) },
  });
}

/** Corrects a price not yet billed: its amount or its first month. */
export async function updateTariff(db: DbOrTx, scope: Scope, tariffId: number, body: UpdateTariffBody): Promise<Tariff> {
  return db.transaction(async (tx) => {
    await unusedTariff(tx, scope, tariffId);
    const row = await tariffs.updateTariff(tx, tariffId, {
      price: body.price,
      validFrom: body.valid_from === undefined ? undefined : monthToDate(body.valid_from),
    });
    if (body.valid_from !== undefined) await refuseTakingBilledMonth(tx, tariffId);
    return serializeTariff(row);
  });
}

/** Deletes a price not yet billed. */
export async function deleteTariff(db: DbOrTx, scope: Scope, tariffId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await unusedTariff(tx, scope, tariffId);
    await tariffs.deleteTariff(tx, tariffId);
  });
}
