import { z } from "zod";
import { getDb, type Db } from "../../db/client";
import { resolveScope, type Scope } from "../auth/scope";
import { env } from "../env";
import { logger } from "../logger";
import { readJsonBody } from "./body";
import { apiErrorFromDatabase } from "./db-errors";
import { ApiError, type FieldErrors } from "./errors";

const NO_INPUT = z.strictObject({});
type NoInput = typeof NO_INPUT;

export interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /** Path segments ("[id]" → id), always strings before parsing. */
  params?: P;
  /** Query string; without a schema no query parameters are accepted. */
  query?: Q;
  /** JSON body; without a schema the body is not read. */
  body?: B;
}

export interface RouteContext<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  request: Request;
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  db: Db;
  scope: Scope;
}

/** What Next.js passes as the second argument of a route handler. */
interface NextRouteContext {
  params?: Promise<Record<string, string | string[] | undefined>>;
}

/**
 * The one place where requests are parsed and errors become responses:
 * params → scope → query → body, then the handler. Anything thrown that is not an ApiError or
 * a known constraint violation is logged and answered with a generic 500.
 */
export function route<P extends z.ZodType = NoInput, Q extends z.ZodType = NoInput, B extends z.ZodType = z.ZodUndefined>(
  input: RouteInput<P, Q, B>,
  handler: (ctx: RouteContext<P, Q, B>) => Promise<Response>,
) {
  return async (request: Request, next?: NextRouteContext): Promise<Response> => {
    try {
      const params = parse(input.params ?? NO_INPUT, (await next?.params) ?? {}, "path");
      const db = getDb();
      const scope = await resolveScope(db, request);
      const query = parse(input.query ?? NO_INPUT, Object.fromEntries(new URL(request.url).searchParams), "query");
      const body = input.body ? parse(input.body, await readJsonBody(request, env().MAX_BODY_BYTES), "body") : undefined;
      return await handler({ request, params, query, body, db, scope } as RouteContext<P, Q, B>);
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: "path" | "query" | "body"): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error);
  const list = Object.entries(fields).map(([field, message]) => `${field} ${message}`);
  throw new ApiError({
    code: "validation_failed",
    message: `invalid ${where === "body" ? "request body" : where === "query" ? "query parameters" : "URL"}: ${list.join("; ")}`,
    fields,
  });
}

/** zod issues → { "readings.3.value": "must be …" }; unknown keys each get their own entry. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  // No prototype: a client's "__proto__" key must become an ordinary entry.
  const fields: FieldErrors = Object.create(null);
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[base ? `${base}.${key}` : key] = "is not a known field";
    } else {
      const key = base || "body";
      fields[key] ??= issue.message;
    }
  }
  return fields;
}

export function errorResponse(error: unknown, request?: Request): Response {
  const known = error instanceof ApiError ? error : apiErrorFromDatabase(error);
  if (known) return json(known.toBody(), known.status);
  logger.error({ err: error, method: request?.method, path: request ? new URL(request.url).pathname : undefined }, "unhandled error");
  return json({ error: { code: "internal", message: "internal server error" } }, 500);
}

export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store" } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
