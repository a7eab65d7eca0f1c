import * as out from "../../schemas/responses";
import { defineOperation } from "../operation";

const tag = "System";

export const health = defineOperation({
  method: "GET",
  path: "/api/health",
  operationId: "health",
  tag,
  summary: "Health of the installation",
  description: "Database reachable, migrations current, the age of the newest worker heartbeat, and the queue depth.",
  auth: "public",
  responses: {
    200: { description: "everything is up", schema: out.healthReport },
    503: { description: "something is down: the checks say what", schema: out.healthReport },
  },
});

export const openApiDocument = defineOperation({
  method: "GET",
  path: "/api/openapi.json",
  operationId: "openApiDocument",
  tag,
  summary: "This API's OpenAPI 3.1 description",
  description: "Generated from the schemas the routes validate with; a readable version is at /api/docs.",
  auth: "public",
  responses: { 200: { description: "the OpenAPI document", schema: out.openApiDocument } },
});
