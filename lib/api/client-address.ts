/**
 * The client's address for rate limits: the first X-Forwarded-For hop (Next.js sets the header
 * from the socket when no proxy did; behind a proxy, the proxy must overwrite it), else X-Real-IP.
 */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip")?.trim() || "unknown";
}
