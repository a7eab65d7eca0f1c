import type { DbOrTx } from "../../db/client";
import * as normatives from "../../db/queries/normatives";
import { notFound } from "../api/errors";
import { pickWorkspace, type Scope } from "../auth/scope";
import { dateToMonth, monthToDate } from "../months";
import type { CreateNormativeBody } from "../schemas/registry";
import type { Normative, NormativeList } from "../schemas/responses";
import { findHouse } from "./houses";
import { toIso } from "./serialize";

function serializeNormative(row: normatives.NormativeRow): Normative {
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    house_id: row.houseId,
    service: row.service,
    value: row.value,
    valid_from: dateToMonth(row.validFrom),
    created_at: toIso(row.createdAt),
  };
}

/** Normatives history, like prices: a house's own and the workspace defaults, or every one of the workspaces. */
export async function listNormatives(db: DbOrTx, scope: Scope, options: { houseId?: number }): Promise<NormativeList> {
  const rows =
    options.houseId !== undefined
      ? await findHouse(db, scope, options.houseId).then((owner) =>
          normatives.listNormatives(db, { workspaceId: owner.workspaceId, houseId: owner.id }),
        )
      : await normatives.listNormatives(db, { workspaceIds: scope.workspaceIds });
  return { items: rows.map(serializeNormative) };
}

/**
 * A normative from a month on; like prices, never edited: a change is a new one from a later
 * month. One from a posted month or before is refused by the database (409 month_closed, and
 * not written); the drafts from its month on that estimated a meter of its service by the
 * normative are marked out of date.
 */
export async function createNormative(db: DbOrTx, scope: Scope, body: CreateNormativeBody): Promise<Normative> {
  const houseId = body.house_id ?? null;
  const workspaceId = houseId === null ? pickWorkspace(scope, body.workspace_id) : (await findHouse(db, scope, houseId)).workspaceId;
  if (workspaceId === null) throw notFound("workspace", body.workspace_id);
  return db.transaction(async (tx) => {
    const row = await normatives.insertNormative(tx, {
      workspaceId,
      houseId,
      service: body.service,
      value: body.value,
      validFrom: monthToDate(body.valid_from),
    });
    return serializeNormative(row);
  });
}
