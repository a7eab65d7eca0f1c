import { createRequire } from "node:module";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jobMessage, PGBOSS_MESSAGES, PGBOSS_VERSION, queueDepth, type JobOutput } from "../db/queries/pgboss";
import { createBoss } from "../lib/jobs/boss";
import { db } from "./helpers/db";

// db/queries/pgboss.ts reads pg-boss's own table and messages. They are not pg-boss's API: this
// file pins them to the installed version, with real jobs driven into every state the module
// (and through it the health check and the billing sweep) reads.

const boss = () => createBoss(process.env.DATABASE_URL!, { supervise: false, schedule: false, migrate: false, max: 2 });
type Boss = ReturnType<typeof boss>;
const started: Boss[] = [];

async function start(): Promise<Boss> {
  const instance = boss();
  await instance.start();
  started.push(instance);
  return instance;
}

afterEach(async () => {
  for (const instance of started.splice(0)) await instance.stop({ graceful: false, wait: true });
});

async function job(id: string) {
  const {
    rows: [row],
  } = await db().execute<{ state: string; output: JobOutput }>(sql`select state::text, output from pgboss.job where id = ${id}`);
  return row;
}

/** A queue of its own per test: one try, and the shortest expiry pg-boss allows. */
async function queue(instance: Boss, name: string) {
  await instance.createQueue(name, { name, retryLimit: 0, expireInSeconds: 1 });
  return name;
}

describe("pg-boss internals", () => {
  it("are those of the installed pg-boss", () => {
    const installed = createRequire(import.meta.url)("pg-boss/package.json").version;
    expect(installed, "pg-boss changed: re-read its job table and messages, then update db/queries/pgboss.ts").toBe(PGBOSS_VERSION);
  });

  it("a job whose worker stopped answering is failed by maintenance with the expiry message", async () => {
    const instance = await start();
    const name = await queue(instance, "internals-expired");
    const id = (await instance.send(name, { n: 1 }))!;
    const [fetched] = await instance.fetch(name);
    expect(fetched.id).toBe(id);
    expect(await queueDepth(db(), [name])).toEqual({ queued: 0, active: 1 });

    // What the worker of the dead process would never do: maintenance fails it once it is past its expiry.
    await vi.waitFor(
      async () => {
        await instance.expire();
        expect((await job(id)).state).toBe("failed");
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(jobMessage((await job(id)).output)).toBe(PGBOSS_MESSAGES.expired);
    expect(await queueDepth(db(), [name])).toEqual({ queued: 0, active: 0 });
  });

  it("a handler that runs past the expiry is failed by its worker with the too-long message", async () => {
    const instance = await start();
    const name = await queue(instance, "internals-too-long");
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await instance.work(name, { pollingIntervalSeconds: 0.5 }, () => held);
    const id = (await instance.send(name, { n: 1 }))!;
    try {
      await vi.waitFor(async () => expect((await job(id)).state).toBe("failed"), { timeout: 15_000, interval: 200 });
      expect(jobMessage((await job(id)).output)).toMatch(PGBOSS_MESSAGES.tooLong);
    } finally {
      release();
    }
  });

  it("a job still active when its worker stops is failed with the shut-down message", async () => {
    const instance = await start();
    const name = "internals-stopped";
    await instance.createQueue(name, { name, retryLimit: 0, expireInSeconds: 60 });
    let running: () => void = () => {};
    const isRunning = new Promise<void>((resolve) => (running = resolve));
    await instance.work(name, { pollingIntervalSeconds: 0.5 }, () => {
      running();
      return new Promise<void>(() => {});
    });
    const id = (await instance.send(name, { n: 1 }))!;
    await isRunning;
    expect((await job(id)).state).toBe("active");

    await instance.stop({ graceful: false, wait: true });
    started.splice(started.indexOf(instance), 1);
    expect((await job(id)).state).toBe("failed");
    expect(jobMessage((await job(id)).output)).toBe(PGBOSS_MESSAGES.stopped);
  });

  it("counts waiting jobs (created, and failed ones due for a retry) apart from active ones", async () => {
    const instance = await start();
    const name = "internals-depth";
    await instance.createQueue(name, { name, retryLimit: 3, retryDelay: 60 });
    await instance.send(name, { n: 1 });
    await instance.send(name, { n: 2 });
    const [first] = await instance.fetch(name);
    expect(await queueDepth(db(), [name])).toEqual({ queued: 1, active: 1 });
    await instance.fail(name, first.id, new Error("once"));
    expect((await job(first.id)).state).toBe("retry");
    expect(await queueDepth(db(), [name])).toEqual({ queued: 2, active: 0 });
  });
});
