import fs from "node:fs";
import path from "node:path";
import { testPerson } from "./auth";

// Calls the real route handlers in-process, routed the way Next.js routes app/api: the table is
// read from the file tree, so a new route.ts is reachable here without registering it.

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

interface RouteEntry {
  file: string;
  pattern: RegExp;
  names: string[];
  /** static segments outrank dynamic ones, catch-alls come last */
  rank: number;
}

const API_DIR = path.join(process.cwd(), "app", "api");

function discoverRoutes(dir = API_DIR, segments: string[] = []): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    if (item.isDirectory()) entries.push(...discoverRoutes(path.join(dir, item.name), [...segments, item.name]));
    else if (item.name === "route.ts") {
      const names: string[] = [];
      let rank = 0;
      const source = segments
        .map((segment) => {
          const catchAll = segment.match(/^\[\.\.\.(\w+)\]$/);
          if (catchAll) {
            names.push(catchAll[1]);
            rank += 1000;
            return "/(.+)";
          }
          const dynamic = segment.match(/^\[(\w+)\]$/);
          if (dynamic) {
            names.push(dynamic[1]);
            rank += 1;
            return "/([^/]+)";
          }
          return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
        })
        .join("");
      entries.push({ file: path.join(dir, item.name), pattern: new RegExp(`^/api${source}$`), names, rank });
    }
  }
  return entries.sort((a, b) => a.rank - b.rank);
}

export const ROUTES = discoverRoutes();

/** A route file's export that answers a method it does not serve (lib/api/route.ts otherMethods). */
export const isOtherMethod = (value: unknown): boolean => typeof value === "function" && "allow" in value;

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  /** Sent as it is instead of JSON.stringify(body). */
  rawBody?: string | Blob | ArrayBuffer;
  /** null leaves a header out (the body then goes as bytes: a string would be sent as text/plain). */
  headers?: Record<string, string | null>;
  /** Bearer credential; default: the file's test person; null: none at all. */
  token?: string | null;
}

/** `await api("POST", "/api/houses", { address })` → { status, body } from the real handler. */
export async function api<T = any>(method: string, url: string, body?: unknown, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const full = new URL(url, "http://localhost");
  const pathname = full.pathname.length > 1 ? full.pathname.replace(/\/$/, "") : full.pathname;
  const match = ROUTES.map((r) => ({ r, m: pathname.match(r.pattern) })).find((x) => x.m);
  if (!match) throw new Error(`no route file matches ${pathname}`);
  const exported = (await import(match.r.file)) as Record<string, Handler | undefined>;
  const handler = exported[method.toUpperCase()];
  if (!handler) return { status: 405, body: null as T, headers: new Headers() };

  const params: Record<string, string | string[]> = {};
  match.r.names.forEach((name, i) => {
    const raw = decodeURIComponent(match.m![i + 1]);
    params[name] = match.r.rank >= 1000 && i === match.r.names.length - 1 ? raw.split("/") : raw;
  });
  let payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const token = options.token === undefined ? (await testPerson()).token : options.token;
  const headers = Object.entries({
    ...(payload !== undefined ? { "content-type": "application/json" } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...options.headers,
  }).filter((entry): entry is [string, string] => entry[1] !== null);
  if (typeof payload === "string" && !headers.some(([name]) => name.toLowerCase() === "content-type")) {
    payload = new TextEncoder().encode(payload).buffer as ArrayBuffer;
  }
  const request = new Request(full, { method: method.toUpperCase(), headers, body: payload });
  const response = await handler(request, { params: Promise.resolve(params) });
  // A PDF as its bytes (a Buffer); a JSON answer parsed; any other (CSV) as its text.
  if (response.headers.get("content-type") === "application/pdf") {
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()) as T, headers: response.headers };
  }
  const text = await response.text();
  const isJson = !text || (response.headers.get("content-type") ?? "application/json").includes("json");
  return { status: response.status, body: (isJson ? (text ? JSON.parse(text) : null) : text) as T, headers: response.headers };
}
