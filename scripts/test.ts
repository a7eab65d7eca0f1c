// npm test – the guard rails (npm run check: types, lint, format, unused code), then every test: vitest (unit + integration on a real PostgreSQL), then the production
// build and the Playwright suite in Chromium against it. Without DATABASE_URL a throw-away
// embedded PostgreSQL is started for the run; with it, that server is used (databases are
// created per test file and dropped afterwards, so the role needs CREATEDB).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { findFreePort, startEmbeddedPostgres, type RunningPostgres } from "../db/embedded";
import { redact, withDatabase } from "./lib/database";

const RESULTS = path.join(process.cwd(), "test-results");
const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);

function run(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward).on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward).off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function readCounts<Report>(file: string, pick: (json: Report) => { passed: number; failed: number }) {
  try {
    return pick(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return { passed: 0, failed: 0 };
  }
}

// `npm test -- --e2e [playwright args…]`: only the build and the browser tests (e.g. one spec).
const E2E_ONLY = process.argv.includes("--e2e");
const PLAYWRIGHT_ARGS = process.argv.slice(2).filter((a) => a !== "--e2e");

async function main() {
  await fs.mkdir(RESULTS, { recursive: true });
  let server: RunningPostgres | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    console.log(`[test] using DATABASE_URL (${redact(adminUrl)})`);
  } else {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "kvartplata-test-"));
    await fs.chmod(dataDir, 0o755); // PostgreSQL runs as its own user when we are root
    server = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "pg"),
      port: 55433,
      fast: true,
      log: (l) => console.log(`[test] ${l}`),
    });
    adminUrl = server.url;
    console.log(`[test] embedded PostgreSQL for this run on port ${server.port}`);
  }
  const e2eDb = `kve2e_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  let exitCode = 1;
  try {
    const common = { DATABASE_URL: adminUrl, NEXT_TELEMETRY_DISABLED: "1" };
    // The guard rails first; the suites run even when they fail, so that one run shows everything.
    const check = E2E_ONLY || process.env.SKIP_CHECK ? 0 : await run("npm", ["run", "check"], common);
    const vitestJson = path.join(RESULTS, "vitest.json");
    const unit = E2E_ONLY
      ? 0
      : await run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`], common);

    console.log("\n[test] building the production app for the browser tests…");
    // npm run build, as the Dockerfile does: the Next.js build plus the worker and migration bundles
    // that `npm start` (the browser tests' server) runs.
    const build = await run("npm", ["run", "build"], { ...common, NODE_ENV: "production" });
    let e2e = 1;
    const playwrightJson = path.join(RESULTS, "playwright.json");
    if (build === 0) {
      await admin.unsafe(`create database "${e2eDb}"`);
      const port = await findFreePort();
      e2e = await run(bin("playwright"), ["test", ...PLAYWRIGHT_ARGS], {
        E2E_DATABASE_URL: withDatabase(adminUrl, e2eDb),
        E2E_PORT: String(port),
        PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
      });
    }

    const v = E2E_ONLY
      ? { passed: 0, failed: 0 }
      : readCounts<{ numPassedTests: number; numFailedTests: number }>(vitestJson, (j) => ({
          passed: j.numPassedTests,
          failed: j.numFailedTests,
        }));
    const p = readCounts<{ stats: { expected: number; unexpected: number; flaky: number } }>(playwrightJson, (j) => ({
      passed: j.stats.expected,
      failed: j.stats.unexpected + j.stats.flaky,
    }));
    console.log(
      `\n[test] check: ${check === 0 ? "ok" : "FAILED"}; vitest: ${v.passed} passed, ${v.failed} failed; ` +
        `playwright: ${p.passed} passed, ${p.failed} failed${build === 0 ? "" : " (build failed)"}`,
    );
    // A failed check or build counts as one failure each.
    console.log(`${v.passed + p.passed} passed, ${v.failed + p.failed + (build === 0 ? 0 : 1) + (check === 0 ? 0 : 1)} failed`);
    exitCode = check === 0 && unit === 0 && build === 0 && e2e === 0 ? 0 : 1;
  } finally {
    await admin.unsafe(`drop database if exists "${e2eDb}" with (force)`).catch(() => {});
    await admin.end({ timeout: 5 });
    await server?.stop();
    if (dataDir && existsSync(dataDir)) await fs.rm(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
