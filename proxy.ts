import { NextResponse, type NextRequest } from "next/server";

// An optimistic gate for pages: without a session cookie, go to /login and come back after.
// The real check is the API's (every /api call validates the session); a stale cookie makes
// the page's first API call answer 401, and the page then sends the person to /login too.
export function proxy(request: NextRequest) {
  if (request.cookies.has("kv_session")) return NextResponse.next();
  const login = new URL("/login", request.url);
  const target = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (target !== "/") login.searchParams.set("next", target);
  return NextResponse.redirect(login);
}

export const config = {
  // Pages only: not the API, the login page, Next.js assets or files with an extension.
  matcher: ["/((?!api/|login|_next/|.*\\..*).*)"],
};
