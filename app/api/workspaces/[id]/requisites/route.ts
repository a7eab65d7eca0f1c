import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { readRequisites, updateRequisites } from "@/lib/registry/requisites";

// GET /api/workspaces/:id/requisites – the organisation's requisites, and whether a payment QR code has all it needs
export const GET = route(operations.getRequisites, async ({ db, scope, params }) => json(await readRequisites(db, scope, params.id)));

// PATCH /api/workspaces/:id/requisites – change some of them ("" clears); check digits and account keys verified
export const PATCH = route(operations.updateRequisites, async ({ db, scope, params, body }) =>
  json(await updateRequisites(db, scope, params.id, body)),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods(GET, PATCH);
