import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "./helpers/db";
import { until } from "./helpers/wait";

/** The worker as `npm run worker` starts it: package.json's own command, through the tsx CLI. */
function spawnWorkerScript(env: NodeJS.ProcessEnv) {
  const [command, ...args] = JSON.parse(readFileSync("package.json", "utf8")).scripts.worker.split(" ");
  return spawn(`node_modules/.bin/${command}`, args, { env: { ...env, LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "pipe"] });
}

describe("worker process", () => {
  it("starts pg-boss on the database and stops cleanly on SIGTERM", async () => {
    const child = spawnWorkerScript(process.env);
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    await until(() => output.includes("worker ready") || child.exitCode !== null, "the worker to start", 30_000);
    expect(output).toContain("worker ready");
    const {
      rows: [schema],
    } = await db().execute<{ n: number }>(sql`select count(*)::int as n from information_schema.schemata where schema_name = 'pgboss'`);
    expect(schema.n).toBe(1);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("worker stopped");
  });

  it("refuses to start without DATABASE_URL", async () => {
    const { DATABASE_URL: _, ...rest } = process.env;
    const child = spawnWorkerScript(rest);
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain("DATABASE_URL is not set");
  });
});
