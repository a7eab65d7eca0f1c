import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

export const SESSION_TOKEN_PREFIX = "kvs_";
export const API_KEY_PREFIX = "kvk_";

/** 256 random bits, URL-safe, with a prefix that says what the secret is. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function sha256Hex(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\u0000");
  return hash.digest("hex");
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A 6-digit one-time code from the cryptographic generator. */
export function newLoginCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

// No 0/O or 1/I: invite codes are read aloud and typed from paper.
export const INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function newInviteCode(): string {
  return Array.from({ length: 6 }, () => INVITE_ALPHABET[randomInt(0, INVITE_ALPHABET.length)]).join("");
}
