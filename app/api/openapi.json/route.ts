import packageJson from "@/package.json";
import { openApiDocument } from "@/lib/api/openapi";
import * as operations from "@/lib/api/operations";
import { json, otherMethods, publicRoute } from "@/lib/api/route";

// GET /api/openapi.json – the API's OpenAPI 3.1 description, generated from the routes' schemas
export const GET = publicRoute(operations.openApiDocument, async () => json(openApiDocument(packageJson.version)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
