import { json, route } from "@/lib/api/route";
import { getBillingRun } from "@/lib/billing/runs";
import { idParams } from "@/lib/schemas/registry";

// GET /api/billing-runs/:id – status, progress and totals of a run (poll it while it runs)
export const GET = route({ params: idParams }, async ({ db, scope, params }) => json(await getBillingRun(db, scope, params.id)));
