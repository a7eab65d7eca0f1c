import { z } from "zod";
import { errorBody } from "../schemas/responses";
import { errorStatuses, type Operation } from "./operation";
import { OPERATIONS } from "./operations";

// The OpenAPI 3.1 document, generated from the operations the routes are built from: the
// request schemas are the ones the routes validate with (zod 4's JSON Schema output, input
// side), the response schemas the ones the test suite checks every answer against.

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: "Malformed JSON",
  401: "No valid credential",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Body too large",
  415: "Unsupported media type",
  422: "Invalid input",
  429: "Too many requests",
  500: "Internal error",
  503: "Unavailable",
};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    // zod spells out its date-time check as a page-long regex; the format says it.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === "date-time") delete jsonSchema.pattern;
    },
  }) as JsonSchema;
  return rest;
}

/** The parameters of a zod object schema: one per key, required unless optional. */
function parameters(schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const object = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const REQUEST_ID_HEADER = {
  "x-request-id": {
    description: "this request's id, as in the server log: the X-Request-Id the client sent when it looked like one, else a new UUID",
    schema: { type: "string" },
  },
};

const SECURITY = {
  any: [{ bearer: [] }, { sessionCookie: [] }],
  person: [{ bearer: [] }, { sessionCookie: [] }],
  public: [],
} as const;

function operationObject(operation: Operation) {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!response) continue;
    const content = response.contentType
      ? { [response.contentType]: { schema: { type: "string" } } }
      : response.schema
        ? { "application/json": { schema: jsonSchema(response.schema, "output") } }
        : undefined;
    const headers = Object.fromEntries(
      Object.entries(response.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
    );
    responses[status] = {
      description: response.description,
      headers: { ...headers, ...REQUEST_ID_HEADER },
      ...(content ? { content } : {}),
    };
  }
  for (const [status, when] of Object.entries(errorStatuses(operation))) {
    if (responses[status]) continue;
    responses[status] = {
      description: `${STATUS_TEXT[Number(status)] ?? "Error"}: ${when}`,
      headers: {
        ...(status === "429" ? { "retry-after": { description: "seconds to wait", schema: { type: "integer" } } } : {}),
        ...REQUEST_ID_HEADER,
      },
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  const auth =
    operation.auth === "person"
      ? "Needs a signed-in person (session cookie or session token); API keys get 403."
      : operation.auth === "any"
        ? "Needs a session or an API key; sees the caller's workspaces only."
        : "No credential needed.";
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    description: [operation.description, auth].filter(Boolean).join("\n\n"),
    security: SECURITY[operation.auth],
    parameters: [...parameters(operation.params, "path"), ...parameters(operation.query, "query")],
    ...(operation.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(operation.body, "input") } } } }
      : {}),
    responses,
  };
}

export interface OpenApiOptions {
  /** the version in info.version */
  version: string;
  operations?: Operation[];
}

export function buildOpenApiDocument({ version, operations = OPERATIONS }: OpenApiOptions) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    (paths[operation.path] ??= {})[operation.method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Kvartplata API",
      version,
      summary: "Register, meter readings, tariffs and exact monthly rent bills for housing managers.",
      description:
        'Money and meter values are exact decimals sent as strings ("1441.91"); inputs accept strings or JSON numbers. ' +
        'Months are "YYYY-MM". Every error is `{ "error": { "code", "message", "fields"? } }`. ' +
        "Sign in with POST /api/login and POST /api/verify, or use an API key: `Authorization: Bearer <key>`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/", description: "this installation" }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBody, "output") },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "a session token from POST /api/verify, or an API key (kvk_…)" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "kv_session", description: "the browser's session" },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

let served: OpenApiDocument | undefined;

/** This installation's document, built once per process (it only changes with the code). */
export function openApiDocument(version: string): OpenApiDocument {
  served ??= buildOpenApiDocument({ version });
  return served;
}
