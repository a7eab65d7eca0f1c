import * as operations from "@/lib/api/operations";
import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { checkHealth, healthOptionsFromEnv } from "@/lib/ops/health";

// GET /api/health – database, migrations, worker heartbeat and queue depth; 503 when any fails
export const GET = publicRoute(operations.health, async ({ db }) => {
  const report = await checkHealth(db, healthOptionsFromEnv());
  return json(report, report.status === "ok" ? 200 : 503);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
