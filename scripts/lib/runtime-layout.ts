import path from "node:path";
import type { BuildOptions } from "esbuild";

/**
 * What `npm run build` leaves for production: one folder, laid out as the image's /app, that
 * `npm start` runs in place and the Dockerfile copies as it is.
 *
 *   <distDir>/standalone/
 *     server.js              the Next.js standalone server, with the node_modules it needs
 *     <distDir>/static/      browser assets (next build leaves them outside standalone)
 *     public/                when the project has one
 *     drizzle/               the migrations dist/migrate.mjs applies
 *     dist/worker.mjs        jobs/worker.ts, bundled with its dependencies
 *     dist/migrate.mjs       scripts/migrate.ts, likewise
 */
export const distDir = (): string => process.env.NEXT_DIST_DIR ?? ".next";

export const runtimeDir = (dist = distDir()): string => path.join(dist, "standalone");

export const SERVER = "server.js";

/** Entry points bundled by scripts/build-runtime.ts; `out` is relative to the runtime folder. */
export const BUNDLES = {
  worker: { entry: "jobs/worker.ts", out: "dist/worker.mjs" },
  migrate: { entry: "scripts/migrate.ts", out: "dist/migrate.mjs" },
} as const;

/** Project folders copied into the runtime folder when they exist. */
export const COPIED_FOLDERS = ["drizzle", "public"] as const;

/**
 * Project files copied into the runtime folder: what is read from disk by a path rather than
 * imported, so that neither next build's tracing nor the worker's bundle brings it along (the
 * payment documents' fonts, lib/receipts/pdf.ts).
 */
export const COPIED_FILES = [
  "node_modules/dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf",
  "node_modules/dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf",
  "node_modules/dejavu-fonts-ttf/LICENSE",
] as const;

// Bundled CommonJS dependencies (pg-boss, pg, pino) call require() and read __dirname, which an
// ES module lacks.
const ESM_REQUIRE_SHIM = [
  `import { createRequire as __createRequire } from "node:module";`,
  `import { fileURLToPath as __fileURLToPath } from "node:url";`,
  `const require = __createRequire(import.meta.url);`,
  `const __filename = __fileURLToPath(import.meta.url);`,
  `const __dirname = __fileURLToPath(new URL(".", import.meta.url));`,
].join("\n");

/** esbuild options for one entry: a single ES module with every dependency inside. */
export function bundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    banner: { js: ESM_REQUIRE_SHIM },
    // pg's optional native binding and its Cloudflare socket: never loaded on Node.
    external: ["pg-native", "cloudflare:sockets"],
    logLevel: "warning",
  };
}
