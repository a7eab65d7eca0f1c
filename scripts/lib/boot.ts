import { spawn } from "node:child_process";
import path from "node:path";
import { supervise, type ProcessSpec } from "./supervisor";
import { openAppDatabase, prepareDatabase } from "./database";
import { BUNDLES, SERVER, runtimeDir } from "./runtime-layout";
import { env } from "../../lib/env";

export interface BootOptions {
  mode: "dev" | "start";
  /** Runs after migrations, before the processes start (the dev demo seed). */
  prepare?: (databaseUrl: string) => Promise<void>;
}

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);

/**
 * Database (embedded or DATABASE_URL) → migrations → web + worker, stopped together.
 * `start` runs what the production image runs, from the folder `npm run build` left
 * (scripts/lib/runtime-layout.ts): dist/migrate.mjs, then server.js and dist/worker.mjs.
 */
export async function boot(options: BootOptions): Promise<void> {
  const log = (line: string) => console.log(`[db] ${line}`);
  const database = await openAppDatabase(log);
  const port = String(env().PORT);
  const shared = { DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: "1" };
  const runtime = runtimeDir();
  try {
    if (options.mode === "start")
      await runToEnd({ name: "migrate", command: process.execPath, args: [BUNDLES.migrate.out], cwd: runtime, env: shared });
    else await prepareDatabase(database.url);
    log("migrations applied");
    await options.prepare?.(database.url);
  } catch (e) {
    await database.stop();
    throw e;
  }
  const processes: ProcessSpec[] =
    options.mode === "dev"
      ? [
          { name: "web", command: bin("next"), args: ["dev", "--port", port], env: { ...shared, NODE_ENV: "development" } },
          { name: "worker", command: bin("tsx"), args: ["jobs/worker.ts"], env: shared },
        ]
      : [
          // HOSTNAME as in the Dockerfile: the standalone server binds to $HOSTNAME, which a
          // container (or a shell that exports it) sets to its own name.
          {
            name: "web",
            command: process.execPath,
            args: [SERVER],
            cwd: runtime,
            env: { ...shared, NODE_ENV: "production", PORT: port, HOSTNAME: "0.0.0.0" },
          },
          {
            name: "worker",
            command: process.execPath,
            args: [BUNDLES.worker.out],
            cwd: runtime,
            env: { ...shared, NODE_ENV: "production" },
          },
        ];
  supervise(processes, database.stop);
  console.log(`[kvartplata] http://localhost:${port} (${options.mode === "dev" ? "development" : "production"}; Ctrl-C stops everything)`);
}

/** A one-shot step (the migration bundle) with the output shown; fails on a non-zero exit. */
function runToEnd(spec: ProcessSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${spec.name} failed (${signal ?? `code ${code}`})`))));
  });
}
