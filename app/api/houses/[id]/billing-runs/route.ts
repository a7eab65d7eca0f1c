import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listHouseBillingRuns } from "@/lib/billing/runs";
import { startBillingRun } from "@/lib/billing/start-billing-run";

// POST /api/houses/:id/billing-runs – bill the house for a month: 202 new run, 200 the one already under way
export const POST = route(operations.startHouseBillingRun, async ({ db, scope, actor, params, body }) => {
  const { run, created } = await startBillingRun(db, { scope, personId: actor.personId, period: body.period, houseId: params.id });
  return json(run, created ? 202 : 200);
});

// GET /api/houses/:id/billing-runs – the house's runs, newest first
export const GET = route(operations.listHouseBillingRuns, async ({ db, scope, params }) =>
  json(await listHouseBillingRuns(db, scope, params.id)),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET, POST);
