import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { setOpeningBalance } from "@/lib/ledger/opening-balance";

// PUT /api/apartments/:id/opening-balance – set (or with 0 remove) the apartment's opening balance
export const PUT = route(operations.setOpeningBalance, async ({ db, scope, actor, params, body }) =>
  json(await setOpeningBalance(db, scope, actor, params.id, body)),
);

export const { GET, POST, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(PUT);
