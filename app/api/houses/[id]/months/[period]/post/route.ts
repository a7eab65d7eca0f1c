import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { postHouseMonth } from "@/lib/billing/months";

// POST /api/houses/:id/months/:period/post – close the month: its invoices final, its inputs frozen
export const POST = route(operations.postHouseMonth, async ({ db, scope, actor, params }) =>
  json(await postHouseMonth(db, scope, params.id, params.period, actor.personId)),
);

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
