import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getBillingRun } from "@/lib/billing/runs";

// GET /api/billing-runs/:id – status, progress and totals of a run (poll it while it runs)
export const GET = route(operations.getBillingRun, async ({ db, scope, params }) => json(await getBillingRun(db, scope, params.id)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
