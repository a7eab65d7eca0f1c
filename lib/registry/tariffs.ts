import type { DbOrTx } from "../../db/client";
import * as services from "../../db/queries/services";
import * as tariffs from "../../db/queries/tariffs";
import { ApiError, fieldError, notFound } from "../api/errors";
import { pickWorkspace, type Scope } from "../auth/scope";
import { monthToDate } from "../months";
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
 * A new price from a month on. A change of price is a new row; a price can be corrected
 * (updateTariff) until a month it is in force in is posted. The first price of a service that
 * has none switches it on (a new service is inactive until priced). A price from a posted month
 * or before is refused by the database (409 month_closed); drafts from its month on in its
 * scope are marked out of date.
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
    return serializeTariff(row);
  });
}

/**
 * A tariff of the caller's workspaces, locked for the change, unless a run under way has fixed
 * it (its invoices would be billed at the old price after the change): 409 month_run_in_progress.
 */
async function lockedTariff(tx: DbOrTx, scope: Scope, tariffId: number) {
  const row = await tariffs.lockTariff(tx, { workspaceIds: scope.workspaceIds, tariffId });
  if (!row) throw notFound("tariff", tariffId);
  const runs = await tariffs.runsBillingAt(tx, tariffId);
  if (runs > 0) {
    throw new ApiError({
      reason: "month_run_in_progress",
      message: "a billing run under way bills at this price: change it when the run has finished",
      params: { runs },
    });
  }
  return row;
}

/**
 * Corrects a price: its amount or its first month. A price in force in a posted month cannot
 * change (the database refuses it: 409 month_closed); the drafts it was billed into, or that it
 * would now be in force for, are marked out of date.
 */
export async function updateTariff(db: DbOrTx, scope: Scope, tariffId: number, body: UpdateTariffBody): Promise<Tariff> {
  return db.transaction(async (tx) => {
    await lockedTariff(tx, scope, tariffId);
    const row = await tariffs.updateTariff(tx, tariffId, {
      price: body.price,
      validFrom: body.valid_from === undefined ? undefined : monthToDate(body.valid_from),
    });
    return serializeTariff(row);
  });
}

/** Deletes a price not in force in a posted month; like a correction, its drafts go out of date. */
export async function deleteTariff(db: DbOrTx, scope: Scope, tariffId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await lockedTariff(tx, scope, tariffId);
    await tariffs.deleteTariff(tx, tariffId);
  });
}
