import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // db/client.ts (the web app's client, which the tests call through) is marked server-only
      // for Next.js; the tests are server code.
      "server-only": fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    setupFiles: ["tests/setup-database.ts"],
    pool: "forks",
    // Vitest's default is one fork per core less one: a single file at a time on a 2-core
    // machine. Most files wait on PostgreSQL, child processes or timers rather than the CPU, and
    // every file has a database of its own, so four at a time overlap those waits.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
  },
});
