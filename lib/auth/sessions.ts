import type { DbOrTx } from "../../db/client";
import * as auth from "../../db/queries/auth";
import { env } from "../env";
import { API_KEY_PREFIX, newSecret, sha256Hex, SESSION_TOKEN_PREFIX } from "./tokens";
import type { Scope } from "./scope";

export const SESSION_COOKIE = "kv_session";
const SESSION_DAYS = 30;
/** Sliding expiry is renewed at most this often, so that reads do not write on every request. */
const RENEW_AFTER_MINUTES = 60;
/** An API key's last_used_at is accurate to this many minutes. */
const API_KEY_TOUCH_MINUTES = 1;

export interface Actor {
  kind: "session" | "api_key";
  /** null for API keys: they act for a workspace, not a person */
  personId: number | null;
  sessionId: number | null;
  apiKeyId: number | null;
  scope: Scope;
  /** the session's expiry was just extended: send the cookie again */
  renewed: boolean;
  via: "cookie" | "bearer";
  /** the secret as the request sent it (to re-send a renewed cookie); never logged */
  token: string;
}

/** The longest User-Agent kept with a session (the column's size). */
const USER_AGENT_CHARS = 300;

/** Opens a session; `userAgent` (the signing-in client's, cut to 300 characters) names it in the person's list of sessions. */
export async function createSession(
  db: DbOrTx,
  personId: number,
  userAgent?: string | null,
): Promise<{ token: string; sessionId: number }> {
  const token = newSecret(SESSION_TOKEN_PREFIX);
  const sessionId = await auth.insertSession(db, {
    personId,
    tokenHash: sha256Hex(token),
    days: SESSION_DAYS,
    userAgent: userAgent?.trim().slice(0, USER_AGENT_CHARS) || null,
  });
  return { token, sessionId };
}

export const revokeSession = auth.revokeSession;

/** The credential of a request: `Authorization: Bearer …` first, else the session cookie. */
function credential(request: Request): { secret: string; via: "cookie" | "bearer" } | null {
  const header = request.headers.get("authorization");
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) return { secret: bearer, via: "bearer" };
  const cookie = request.headers
    .get("cookie")
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  let value = "";
  try {
    value = cookie ? decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)) : "";
  } catch {
    return null; // not even well-formed: no credential (401), not a server error
  }
  return value ? { secret: value, via: "cookie" } : null;
}

/**
 * Who is calling: a live session (its person's workspaces) or an API key (its one workspace).
 * null when the request carries no valid credential. Secrets are looked up by their SHA-256,
 * so the comparison never touches the secret itself.
 */
export async function authenticate(db: DbOrTx, request: Request): Promise<Actor | null> {
  const given = credential(request);
  if (!given) return null;
  const hash = sha256Hex(given.secret);

  if (given.secret.startsWith(API_KEY_PREFIX)) {
    const key = await auth.findApiKey(db, { keyHash: hash, touchMinutes: API_KEY_TOUCH_MINUTES });
    if (!key) return null;
    return {
      kind: "api_key",
      personId: null,
      sessionId: null,
      apiKeyId: key.id,
      scope: { workspaceIds: [key.workspace_id], workspaceId: key.workspace_id, roles: { [key.workspace_id]: key.role } },
      renewed: false,
      via: given.via,
      token: given.secret,
    };
  }

  const row = await auth.findSession(db, { tokenHash: hash, days: SESSION_DAYS, renewAfterMinutes: RENEW_AFTER_MINUTES });
  if (!row) return null;
  return {
    kind: "session",
    personId: row.person_id,
    sessionId: row.id,
    apiKeyId: null,
    scope: {
      workspaceIds: row.workspace_ids,
      workspaceId: row.personal_workspace_id,
      roles: Object.fromEntries(row.workspace_ids.map((id, i) => [id, row.roles[i]])),
    },
    renewed: row.renewed,
    via: given.via,
    token: given.secret,
  };
}

/**
 * Set-Cookie for a session token (or for clearing it). Secure whenever the request came over
 * HTTPS (directly or through a proxy's X-Forwarded-Proto), as any production deployment
 * should; a plain-http `npm start` on a laptop still works. COOKIE_SECURE forces either way.
 */
export function sessionCookie(token: string | null, request: Request): string {
  const forced = env().COOKIE_SECURE;
  const https = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  const secure = forced ? forced === "true" : https;
  const parts = [
    `${SESSION_COOKIE}=${token ? encodeURIComponent(token) : ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${token ? SESSION_DAYS * 24 * 3600 : 0}`,
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}
