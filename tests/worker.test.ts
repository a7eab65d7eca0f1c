import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "./helpers/db";

function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

describe("worker process", () => {
  it("starts pg-boss on the database and stops cleanly on SIGTERM", async () => {
    const child = spawn("node_modules/.bin/tsx", ["jobs/worker.ts"], {
      env: { ...process.env, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    await waitFor(() => output.includes("worker ready") || child.exitCode !== null, "the worker to start");
    expect(output).toContain("worker ready");
    const [schema] = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from information_schema.schemata where schema_name = 'pgboss'`,
    );
    expect(schema.n).toBe(1);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("worker stopped");
  });

  it("refuses to start without DATABASE_URL", async () => {
    const { DATABASE_URL: _, ...rest } = process.env;
    const child = spawn("node_modules/.bin/tsx", ["jobs/worker.ts"], {
      env: { ...rest, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain("DATABASE_URL is not set");
  });
});
