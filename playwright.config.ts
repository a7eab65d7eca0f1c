import path from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "./scripts/lib/chromium";

// Run through `npm test`, which builds the app and provides E2E_DATABASE_URL and E2E_PORT.
const databaseUrl = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("Set E2E_DATABASE_URL (or run the suite with `npm test`)");
const port = Number(process.env.E2E_PORT ?? 3100);
// localhost (not 127.0.0.1): Chromium keeps the production build's Secure cookie there.
const baseURL = `http://localhost:${port}`;
/** Where the server "sends" sign-in codes during the browser tests (SMS_PROVIDER=file). */
export const SMS_OUTBOX_FILE = path.resolve("test-results", "sms-outbox.jsonl");
process.env.E2E_SMS_OUTBOX_FILE = SMS_OUTBOX_FILE;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/playwright",
  // One file at a time: two workers were tried (each test signs in as a person of its own, so
  // files do not clash) and took as long on two cores — the browser, the server and PostgreSQL
  // all want the CPU — so the suite keeps the simpler order.
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  // npm test reads the JSON report for its summary line.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    // Our managers' browsers ask for Russian; e2e/i18n.spec.ts covers English and the switch.
    locale: "ru-RU",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: CHROMIUM_LAUNCH,
  },
  projects: [
    // Runs first, on the database exactly as `npm start` left it.
    { name: "fresh-start", testMatch: /fresh-start\.spec\.ts/ },
    { name: "app", testIgnore: /fresh-start\.spec\.ts/, dependencies: ["fresh-start"] },
  ],
  webServer: {
    command: "node_modules/.bin/tsx scripts/start.ts",
    url: `${baseURL}/api/houses`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
      SMS_PROVIDER: "file",
      SMS_OUTBOX_FILE,
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
    },
  },
});
