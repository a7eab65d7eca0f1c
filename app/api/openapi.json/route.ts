import packageJson from "@/package.json";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import * as operations from "@/lib/api/operations";
import { json, publicRoute } from "@/lib/api/route";

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

// GET /api/openapi.json – the API's OpenAPI 3.1 description, generated from the routes' schemas
export const GET = publicRoute(operations.openApiDocument, async () => {
  document ??= buildOpenApiDocument({ version: packageJson.version });
  return json(document);
});
