import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getHouseMonth } from "@/lib/billing/months";

// GET /api/houses/:id/months/:period – the month's state: drafts out of date, whether it can be posted, its history
export const GET = route(operations.getHouseMonth, async ({ db, scope, params }) =>
  json(await getHouseMonth(db, scope, params.id, params.period)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
