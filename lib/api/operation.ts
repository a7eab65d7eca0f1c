import { z } from "zod";
import type { MemberRole } from "../constants";

// An operation is one method on one path of the JSON API: what the route handler parses
// (params, query, body), who may call it, and what it answers. Route handlers are built from
// it (lib/api/route.ts) and the OpenAPI document is generated from the same objects
// (lib/api/openapi.ts), so the description cannot drift from what the code accepts.

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** "any": a session or an API key; "person": a signed-in person only; "public": no credential. */
type OperationAuth = "any" | "person" | "public";

interface OperationResponse {
  description: string;
  /** the JSON body; omitted when there is none (204) */
  schema?: z.ZodType;
  /** a non-JSON body, e.g. "text/csv" (then `schema` is not used) */
  contentType?: string;
  /** response headers worth knowing, name → description */
  headers?: Record<string, string>;
}

export interface Operation<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  /** OpenAPI form: "/api/houses/{id}" for app/api/houses/[id]/route.ts */
  path: string;
  /** unique, camelCase: the name generated clients give the call */
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  auth: OperationAuth;
  /**
   * Who may call it (lib/auth/roles.ts ROLES): the caller's role in the workspace of what it
   * touches must be one of these, else 403 role_forbidden. "self": it concerns only the caller
   * (their profile, sessions), whatever their roles. Public operations have none.
   */
  roles?: readonly MemberRole[] | "self";
  /** path segments, always strings before parsing */
  params?: P;
  /** query string; without a schema no query parameters are accepted */
  query?: Q;
  /** JSON body; without a schema the body is not read */
  body?: B;
  /**
   * A file sent as the raw body (not JSON): the media types taken and the size limit. The route
   * wrapper does not read it; the handler does (lib/api/body.ts readFileBody).
   */
  fileBody?: { mediaTypes: string[]; maxBytes: number; description: string };
  /** the successful answers by status */
  responses: Partial<Record<200 | 201 | 202 | 204 | 503, OperationResponse>>;
  /** error statuses this operation gives besides the ones every operation of its kind gives, with when */
  errors?: Partial<Record<ErrorStatus, string>>;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** Keeps the schemas' exact types for the handler while checking the shape. */
export function defineOperation<
  P extends z.ZodType = z.ZodObject<Record<never, never>>,
  Q extends z.ZodType = z.ZodObject<Record<never, never>>,
  B extends z.ZodType = z.ZodUndefined,
>(operation: Operation<P, Q, B>): Operation<P, Q, B> {
  return operation;
}

/**
 * Every error status an operation can answer with, and when: the ones its shape implies
 * (a credential, path parameters, a body) plus its own. 500 and 503 are always possible.
 */
export function errorStatuses(operation: Operation): Partial<Record<ErrorStatus, string>> {
  const statuses: Partial<Record<ErrorStatus, string>> = {};
  if (operation.body) {
    statuses[400] = "the body is not JSON (or not UTF-8, or empty)";
  }
  if (operation.auth !== "public") {
    statuses[401] = "no credential, or an unknown, expired or revoked one";
  }
  if (operation.auth === "person") {
    statuses[403] = "called with an API key: this endpoint is for signed-in people";
  }
  if (Array.isArray(operation.roles) && operation.roles.length < 4) {
    const ofKeys = operation.auth === "person" ? "called with an API key (people_only), or " : "";
    statuses[403] = `${ofKeys}the caller's role in the workspace is not one of ${operation.roles.join(", ")} (role_forbidden)`;
  }
  if (operation.params) {
    statuses[404] = "no such resource in the caller's workspaces";
  }
  if (operation.body) {
    statuses[413] = "the body is larger than MAX_BODY_BYTES (1 MB by default)";
    statuses[415] = "the body was declared as something other than JSON: send Content-Type: application/json (or none)";
  }
  if (operation.fileBody) {
    statuses[413] = `the file is larger than ${operation.fileBody.maxBytes} bytes`;
    statuses[415] = `the body was declared as something else than ${operation.fileBody.mediaTypes.join(", ")}`;
  }
  // Every operation refuses what it does not know, an unexpected query parameter included.
  statuses[422] = "invalid input: `fields` says what is wrong with which field";
  Object.assign(statuses, operation.errors);
  statuses[500] = "an unexpected error (the detail is logged, not sent)";
  // The health check answers its own 503 (a report, documented with its responses).
  if (!operation.responses[503]) {
    statuses[503] = "the database cannot be reached (restarting, failing over): try again after Retry-After seconds";
  }
  return statuses;
}
