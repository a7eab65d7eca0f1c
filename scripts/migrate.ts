// The production migration step: `node dist/migrate.mjs` (built by `npm run build`) in the image's
// one-shot `migrate` service and in `npm start`. Migrations from ./drizzle, then pg-boss's schema
// and queues, on DATABASE_URL only: no embedded PostgreSQL, no tsx. Safe to run at every deploy.
import { env } from "../lib/env";
import { logger } from "../lib/logger";
import { prepareDatabase } from "./lib/prepare-database";

async function main() {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  logger.info("applying migrations");
  await prepareDatabase(url);
  logger.info("migrations applied");
}

main().catch((err) => {
  logger.fatal({ err }, "migrations failed");
  process.exit(1);
});
