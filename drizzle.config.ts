import { defineConfig } from "drizzle-kit";

// Used by `npm run db:generate` only; migrations are applied by scripts/db-migrate.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./drizzle",
  casing: "snake_case",
});
