import { env } from "../env";

/**
 * The client's address for rate limits, from X-Forwarded-For. Each proxy in front of the app
 * appends the address it was connected from (nginx's `$proxy_add_x_forwarded_for`) or replaces
 * the header with it; whatever the client wrote itself stays on the left. So the client is the
 * entry `hops` from the right: with one proxy, the last one. Next.js fills the header from the
 * socket only when no one sent it, so without a proxy a client can still name itself. (Under
 * Next.js the header is always there; X-Real-IP only counts for callers without it, as in tests.
 * A proxy that sets only X-Real-IP leaves every client with the proxy's address: set both.)
 */
export function clientAddress(request: Request, hops: number = env().TRUSTED_PROXIES): string {
  const chain = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (chain.length > 0) return chain[Math.max(0, chain.length - hops)];
  return request.headers.get("x-real-ip")?.trim() || "unknown";
}
