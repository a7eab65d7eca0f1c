import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getApartmentAccount } from "@/lib/ledger/get-account";

// GET /api/apartments/:id/account – the apartment's account as of a date
export const GET = route(operations.getApartmentAccount, async ({ db, scope, params, query }) =>
  json(await getApartmentAccount(db, scope, params.id, query.as_of)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
