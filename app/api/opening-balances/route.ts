import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { setOpeningBalances } from "@/lib/ledger/opening-balance";

// POST /api/opening-balances – many apartments' opening balances by account number, all or nothing
export const POST = route(operations.setOpeningBalances, async ({ db, scope, actor, body }) =>
  json(await setOpeningBalances(db, scope, actor, body)),
);

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
