import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getBillingSettings, updateBillingSettings } from "@/lib/registry/billing-settings";

// GET /api/workspaces/:id/billing-settings – the payment due day and the residents' reading window
export const GET = route(operations.getBillingSettings, async ({ db, scope, params }) =>
  json(await getBillingSettings(db, scope, params.id)),
);

// PATCH /api/workspaces/:id/billing-settings – change the payment due day (months posted later use it) or the reading window
export const PATCH = route(operations.updateBillingSettings, async ({ db, scope, params, body }) =>
  json(await updateBillingSettings(db, scope, params.id, body)),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods(GET, PATCH);
