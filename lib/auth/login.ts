import { randomBytes } from "node:crypto";
import type { DbOrTx } from "../../db/client";
import * as auth from "../../db/queries/auth";
import { ApiError } from "../api/errors";
import { env } from "../env";
import { findOrCreatePerson } from "./persons";
import { createSession } from "./sessions";
import { getSmsSender } from "./sms";
import { newLoginCode, sameDigest, sha256Hex } from "./tokens";

const CODE_TTL_MINUTES = 5;
const MAX_CODE_ATTEMPTS = 5;

/** One code a minute and ten an hour per phone; a client address gets a little more room. */
function loginRateLimits(phone: string, clientAddress: string): auth.RateLimitRule[] {
  return [
    { bucket: `login:phone:${phone}`, limit: 1, windowSeconds: 60 },
    { bucket: `login:phone:${phone}`, limit: 10, windowSeconds: 3600 },
    { bucket: `login:address:${clientAddress}`, limit: 5, windowSeconds: 60 },
    { bucket: `login:address:${clientAddress}`, limit: 30, windowSeconds: 3600 },
    // A ceiling for the whole installation: the address can be forged where no proxy overwrites
    // X-Forwarded-For, and this bounds what a flood of new phones can cost in SMS.
    { bucket: "login:all", limit: env().LOGIN_CODES_PER_HOUR, windowSeconds: 3600 },
  ];
}

const hashCode = (salt: string, phone: string, code: string) => sha256Hex(salt, phone, code);

/** Sends a fresh one-time code to the phone; it replaces any earlier one. */
export async function requestLoginCode(db: DbOrTx, options: { phone: string; clientAddress: string }): Promise<void> {
  const refused = await auth.hitRateLimits(db, loginRateLimits(options.phone, options.clientAddress));
  if (refused) {
    const [who, reason] = refused.rule.bucket.startsWith("login:phone")
      ? (["this phone", "login_limit_phone"] as const)
      : refused.rule.bucket === "login:all"
        ? (["the service as a whole", "login_limit_service"] as const)
        : (["your network address", "login_limit_address"] as const);
    throw new ApiError({
      reason,
      message: `too many codes requested for ${who}; try again in ${refused.retryAfter} s`,
      params: { retry_after: refused.retryAfter },
      retryAfter: refused.retryAfter,
    });
  }
  const code = newLoginCode();
  const salt = randomBytes(16).toString("hex");
  await auth.upsertLoginCode(db, {
    phone: options.phone,
    codeHash: hashCode(salt, options.phone, code),
    salt,
    ttlMinutes: CODE_TTL_MINUTES,
  });
  await getSmsSender().send(options.phone, `Kvartplata: your sign-in code is ${code}. It is valid for ${CODE_TTL_MINUTES} minutes.`);
}

type CodeCheck = { ok: true } | { ok: false; error: ApiError };

/**
 * Checks the phone's code. A wrong code uses up one of its five attempts (committed even though
 * the request fails); the right one is deleted, so that it cannot be replayed.
 */
async function checkCode(db: DbOrTx, phone: string, code: string): Promise<CodeCheck> {
  return db.transaction(async (tx) => {
    const row = await auth.lockLoginCode(tx, phone);
    const fail = (error: ApiError): CodeCheck => ({ ok: false, error });
    if (!row)
      return fail(
        new ApiError({
          reason: "code_not_requested",
          message: "no code was requested for this phone, or it was already used: request a new one",
        }),
      );
    if (row.expired) return fail(new ApiError({ reason: "code_expired", message: "the code has expired: request a new one" }));
    if (row.attempts >= MAX_CODE_ATTEMPTS) {
      return fail(
        new ApiError({ reason: "code_attempts_used", message: "too many wrong attempts: this code no longer works, request a new one" }),
      );
    }
    if (!sameDigest(hashCode(row.salt, phone, code), row.codeHash)) {
      const attempts = row.attempts + 1;
      await auth.setLoginCodeAttempts(tx, phone, attempts);
      const left = MAX_CODE_ATTEMPTS - attempts;
      return fail(
        left > 0
          ? new ApiError({
              reason: "code_wrong",
              message: `wrong code: ${left} attempt${left === 1 ? "" : "s"} left`,
              params: { attempts_left: left },
            })
          : new ApiError({
              reason: "code_attempts_used",
              message: "wrong code, and that was the last attempt: request a new code",
              params: { attempts_left: 0 },
            }),
      );
    }
    await auth.deleteLoginCode(tx, phone);
    return { ok: true };
  });
}

export interface VerifyLoginCodeOptions {
  phone: string;
  code: string;
  /** the client's User-Agent header: names the session in the person's list of sessions */
  userAgent: string | null;
}

/** Signs the person in (registering them on their first sign-in) and opens a session. */
export async function verifyLoginCode(db: DbOrTx, options: VerifyLoginCodeOptions) {
  const check = await checkCode(db, options.phone, options.code);
  if (!check.ok) throw check.error;
  const { person, created } = await findOrCreatePerson(db, options.phone);
  const { token } = await createSession(db, person.id, options.userAgent);
  return { token, person, created };
}
