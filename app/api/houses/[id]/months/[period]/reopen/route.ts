import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { reopenHouseMonth } from "@/lib/billing/months";

// POST /api/houses/:id/months/:period/reopen – an owner reopens the latest posted month, with a reason
export const POST = route(operations.reopenHouseMonth, async ({ db, scope, actor, params, body }) =>
  json(await reopenHouseMonth(db, scope, params.id, params.period, { personId: actor.personId!, reason: body.reason })),
);

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
