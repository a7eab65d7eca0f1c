import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDb, type Db, type DbOrTx } from "../../db/client";
import { resourceWorkspace, setActor } from "../../db/queries/access";
import type { MemberRole } from "../constants";
import { narrowScope, type Scope } from "../auth/scope";
import { authenticate, sessionCookie, type Actor } from "../auth/sessions";
import { env } from "../env";
import { currentRequestId, logger, runWithRequestContext } from "../logger";
import { shuttingDown } from "../shutdown";
import { readJsonBody } from "./body";
import { describeConnectionError, isDatabaseUnreachable } from "../../db/connection-errors";
import { apiErrorFromDatabase } from "./db-errors";
import { ApiError, fieldError, type FieldErrors } from "./errors";
import { issueReason } from "./field-reasons";
import { HTTP_METHODS, type HttpMethod, type Operation } from "./operation";
import { checkResponse } from "./response-check";

const NO_INPUT = z.strictObject({});
type NoInput = typeof NO_INPUT;

export interface PublicRouteContext<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  request: Request;
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** a write operation's: the request's one transaction, which its history entries are part of */
  db: DbOrTx;
}

export interface RouteContext<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> extends PublicRouteContext<P, Q, B> {
  actor: Actor;
  /** the workspaces where the caller's role allows this operation: filter every query by it */
  scope: Scope;
  /**
   * The database outside the request's transaction, for what must be kept even when the
   * request is refused (rate-limit counts).
   */
  root: Db;
}

/** What Next.js passes as the second argument of a route handler. */
interface NextRouteContext {
  params?: Promise<Record<string, string | string[] | undefined>>;
}

/** A route handler, carrying the operation it serves (the OpenAPI test checks the pairing). */
export type RouteHandler = ((request: Request, next?: NextRouteContext) => Promise<Response>) & { operation: Operation };

/**
 * The one place where requests are authenticated, parsed and errors become responses:
 * credential → params → query → body, then the handler. Anything thrown that is not an
 * ApiError or a known constraint violation is logged and answered with a generic 500.
 */
export function route<P extends z.ZodType = NoInput, Q extends z.ZodType = NoInput, B extends z.ZodType = z.ZodUndefined>(
  operation: Operation<P, Q, B>,
  handler: (ctx: RouteContext<P, Q, B>) => Promise<Response>,
): RouteHandler {
  if (operation.auth === "public") throw new Error(`${operation.operationId} is public: build it with publicRoute`);
  if (!operation.roles) throw new Error(`${operation.operationId} declares no roles`);
  return handle(
    operation,
    async (request, db) => {
      const actor = await authenticate(db, request);
      if (!actor) {
        throw new ApiError({
          reason: "sign_in_required",
          message: "sign in first: send the session cookie or an Authorization: Bearer <session token or API key> header",
        });
      }
      if (operation.auth === "person" && actor.kind !== "session") {
        throw new ApiError({ reason: "people_only", message: "this endpoint is for signed-in people, not API keys" });
      }
      return actor;
    },
    (ctx) => serveWithRoles(operation, ctx, handler),
  );
}

/**
 * Enforces the operation's roles (lib/auth/roles.ts) and runs a write in one transaction that
 * names who is writing (kp.actor, read by the history's triggers: drizzle/0015_roles-history.sql).
 * The handler sees only the workspaces where the caller's role allows the operation, so what
 * lies elsewhere is not found; when it is in a workspace the caller belongs to with another
 * role, the answer is 403 role_forbidden instead, and the refused request changed nothing (its
 * transaction is rolled back).
 */
async function serveWithRoles<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  operation: Operation<P, Q, B>,
  ctx: RouteContext<P, Q, B>,
  handler: (ctx: RouteContext<P, Q, B>) => Promise<Response>,
): Promise<Response> {
  const { actor } = ctx;
  const allowed = operation.roles!;
  let scope = actor.scope;
  if (allowed !== "self") {
    const narrowed = narrowScope(actor.scope, allowed);
    if (!narrowed) throw roleForbidden(actor, allowed, actor.scope.workspaceId);
    scope = narrowed;
  }
  const run = (db: DbOrTx) => handler({ ...ctx, db, scope });
  try {
    if (operation.method === "GET") return await run(ctx.db);
    const who = JSON.stringify({
      person_id: actor.personId,
      api_key_id: actor.apiKeyId,
      operation: operation.operationId,
      request_id: currentRequestId() ?? null,
    });
    return await ctx.root.transaction(async (tx) => {
      await setActor(tx, who);
      return run(tx);
    });
  } catch (error) {
    if (
      allowed !== "self" &&
      scope.workspaceIds.length < actor.scope.workspaceIds.length &&
      error instanceof ApiError &&
      error.code === "not_found"
    ) {
      const workspaceId = await resourceWorkspace(ctx.root, error.reason, error.params?.id);
      if (workspaceId !== null && actor.scope.workspaceIds.includes(workspaceId) && !scope.workspaceIds.includes(workspaceId)) {
        throw roleForbidden(actor, allowed, workspaceId);
      }
    }
    throw error;
  }
}

function roleForbidden(actor: Actor, allowed: readonly MemberRole[], workspaceId: number): ApiError {
  const role = actor.scope.roles?.[workspaceId] ?? "none";
  return new ApiError({
    reason: "role_forbidden",
    message: `your role in this workspace (${role}) does not allow this: it takes ${allowed.join(" or ")}`,
    params: { role, roles: allowed.join(", "), workspace_id: workspaceId },
  });
}

/** The same without a credential: sign-in endpoints, health. */
export function publicRoute<P extends z.ZodType = NoInput, Q extends z.ZodType = NoInput, B extends z.ZodType = z.ZodUndefined>(
  operation: Operation<P, Q, B>,
  handler: (ctx: PublicRouteContext<P, Q, B>) => Promise<Response>,
): RouteHandler {
  if (operation.auth !== "public") throw new Error(`${operation.operationId} needs a credential: build it with route`);
  return handle(operation, async () => null, handler as (ctx: RouteContext<P, Q, B>) => Promise<Response>);
}

// A client's own request id is kept when it looks like one (a proxy's, a retry's), else a new one.
const REQUEST_ID = /^[\w.:-]{8,100}$/;

function handle<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  operation: Operation<P, Q, B>,
  identify: (request: Request, db: Db) => Promise<Actor | null>,
  handler: (ctx: RouteContext<P, Q, B>) => Promise<Response>,
): RouteHandler {
  const serve = async (request: Request, next: NextRouteContext | undefined, caller: Caller): Promise<Response> => {
    try {
      const db = getDb();
      const actor = (caller.actor = await identify(request, db));
      const params = parse(operation.params ?? NO_INPUT, (await next?.params) ?? {}, "path");
      const query = parse(operation.query ?? NO_INPUT, Object.fromEntries(new URL(request.url).searchParams), "query");
      const body = operation.body ? parse(operation.body, await readJsonBody(request, env().MAX_BODY_BYTES), "body") : undefined;
      const response = await handler({ request, params, query, body, db, root: db, actor, scope: actor?.scope } as RouteContext<P, Q, B>);
      if (actor?.renewed && actor.via === "cookie" && actor.token) {
        // The session's expiry slid forward: let the cookie follow it.
        response.headers.append("set-cookie", sessionCookie(actor.token, request));
      }
      return response;
    } catch (error) {
      // The client went away mid-request (its body read fails): nobody gets an answer, and it is
      // not our error. 499 as nginx logs it.
      if (request.signal?.aborted) {
        const abort = (error as { code?: string; name?: string }).code === "ECONNRESET" || (error as Error).name === "AbortError";
        if (!(error instanceof ApiError) && !abort) logger.warn({ err: error }, "error after the client went away");
        return new Response(null, { status: 499 });
      }
      // The database is away: the request's one log line says so, as a warning (lib/api/db-errors.ts answers 503).
      if (isDatabaseUnreachable(error)) caller.database = describeConnectionError(error);
      return errorResponse(error, request);
    }
  };
  const wrapped = (request: Request, next?: NextRouteContext) =>
    withRequestLog(request, operation.operationId, async (caller) => {
      const response = await serve(request, next, caller);
      return env().NODE_ENV === "test" ? checkResponse(operation, response) : response;
    });
  return Object.assign(wrapped, { operation: operation as unknown as Operation });
}

/** What the request's log line says about who asked, and about a database that could not be reached. */
interface Caller {
  actor?: Actor | null;
  database?: { code?: string; message: string };
}

/**
 * Runs one API request with its request id (every log line written meanwhile carries it), sends
 * the id back in X-Request-Id and ends with the request's one "request" log line.
 */
export function withRequestLog(
  request: Request,
  operationId: string | null,
  serve: (caller: Caller) => Promise<Response>,
): Promise<Response> {
  const offered = request.headers.get("x-request-id");
  const requestId = offered && REQUEST_ID.test(offered) ? offered : randomUUID();
  return runWithRequestContext({ req_id: requestId }, async () => {
    const started = performance.now();
    const caller: Caller = {};
    const response = await serve(caller);
    response.headers.set("x-request-id", requestId);
    if (shuttingDown()) response.headers.set("connection", "close");
    const { status } = response;
    // A 503 of an unreachable database is the outage's, not a bug: a warning, with what the driver said.
    logger[status === 503 && caller.database ? "warn" : status >= 500 ? "error" : "info"](
      {
        method: request.method,
        path: new URL(request.url).pathname,
        operation: operationId,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        // who asked, by id: never the credential
        ...(caller.actor?.kind === "session" ? { person_id: caller.actor.personId } : {}),
        ...(caller.actor?.kind === "api_key" ? { api_key_id: caller.actor.apiKeyId } : {}),
        ...(caller.database ? { database_unreachable: caller.database } : {}),
      },
      "request",
    );
    return response;
  });
}

/** A 405 (or OPTIONS) answer for a method its route file does not serve; `allow` is what it does. */
export type OtherMethodHandler = ((request: Request) => Promise<Response>) & { allow: string };

/**
 * The methods a route file does not serve, given the handlers it does: a JSON 405 with the
 * Allow header, logged like any request (Next.js's own 405 has an empty body, no request id
 * and no log line), and OPTIONS with the same Allow. A route file exports the ones it lacks:
 * `export const { POST, PUT, OPTIONS } = otherMethods(GET, PATCH, DELETE);` (and HEAD where
 * there is no GET).
 */
export function otherMethods(...served: RouteHandler[]): Record<HttpMethod | "HEAD" | "OPTIONS", OtherMethodHandler> {
  const methods = HTTP_METHODS.filter((method) => served.some((handler) => handler.operation.method === method));
  const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: OtherMethodHandler = Object.assign(
    (request: Request) =>
      withRequestLog(request, null, async () => {
        const path = new URL(request.url).pathname;
        const response = errorResponse(
          new ApiError({
            reason: "method_not_allowed",
            message: `${request.method} is not served at ${path}; it takes ${methods.join(", ")}`,
            params: { method: request.method, allow: methods.join(", ") },
          }),
          request,
        );
        response.headers.set("allow", allow);
        return response;
      }),
    { allow },
  );
  const options: OtherMethodHandler = Object.assign(
    (request: Request) =>
      withRequestLog(request, null, async () => new Response(null, { status: 204, headers: { allow, "cache-control": "no-store" } })),
    { allow },
  );
  // HEAD: Next.js answers it from GET where there is one; a route file exports this one only where there is not.
  const refused = Object.fromEntries([...HTTP_METHODS, "HEAD"].map((method) => [method, refuse])) as Record<
    HttpMethod | "HEAD",
    OtherMethodHandler
  >;
  return { ...refused, OPTIONS: options };
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: "path" | "query" | "body"): z.output<S> {
  // reportInput: zod 4 leaves the input out of its issues otherwise, and a wrong type
  // ("15" for a number) could not be told from a missing field (issueReason)
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const fields = fieldErrors(result.error);
  const list = Object.entries(fields).map(([field, { message }]) => `${field} ${message}`);
  throw new ApiError({
    reason: "invalid_input",
    message: `invalid ${where === "body" ? "request body" : where === "query" ? "query parameters" : "URL"}: ${list.join("; ")}`,
    fields,
  });
}

/** zod issues → { "readings.3.value": { reason, message, params } }; unknown keys each get their own entry. */
function fieldErrors(error: z.ZodError): FieldErrors {
  // No prototype: a client's "__proto__" key must become an ordinary entry.
  const fields: FieldErrors = Object.create(null);
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[base ? `${base}.${key}` : key] = fieldError("unknown_field", "is not a known field");
    } else {
      const { reason, params } = issueReason(issue);
      fields[base || "body"] ??= fieldError(reason, issue.message, params);
    }
  }
  return fields;
}

export function errorResponse(error: unknown, request?: Request): Response {
  const known = error instanceof ApiError ? error : apiErrorFromDatabase(error);
  if (known) {
    const response = json(known.toBody(), known.status);
    if (known.retryAfter !== undefined) response.headers.set("retry-after", String(known.retryAfter));
    return response;
  }
  logger.error({ err: error, method: request?.method, path: request ? new URL(request.url).pathname : undefined }, "unhandled error");
  return json({ error: { code: "internal", reason: "internal", message: "internal server error" } }, 500);
}

export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store" } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
