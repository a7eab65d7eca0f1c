import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { startBillingRun } from "@/lib/billing/start-billing-run";

// POST /api/billing-runs – bill every house of a workspace for a month (one combined progress)
export const POST = route(operations.startPortfolioBillingRun, async ({ db, scope, actor, body }) => {
  const { run, created } = await startBillingRun(db, {
    scope,
    personId: actor.personId,
    period: body.period,
    workspaceId: body.workspace_id,
  });
  return json(run, created ? 202 : 200);
});

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
