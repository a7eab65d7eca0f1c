import path from "node:path";
import { supervise } from "./supervisor";
import { openAppDatabase, prepareDatabase } from "./database";
import { env } from "../../lib/env";

export interface BootOptions {
  mode: "dev" | "start";
  /** Runs after migrations, before the processes start (the dev demo seed). */
  prepare?: (databaseUrl: string) => Promise<void>;
}

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);

/** Database (embedded or DATABASE_URL) → migrations → web + worker, stopped together. */
export async function boot(options: BootOptions): Promise<void> {
  const log = (line: string) => console.log(`[db] ${line}`);
  const database = await openAppDatabase(log);
  try {
    await prepareDatabase(database.url);
    log("migrations applied");
    await options.prepare?.(database.url);
  } catch (e) {
    await database.stop();
    throw e;
  }
  const port = String(env().PORT);
  const shared = { DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: "1" };
  supervise(
    [
      {
        name: "web",
        command: bin("next"),
        args: [options.mode, "--port", port],
        env: { ...shared, NODE_ENV: options.mode === "dev" ? "development" : "production" },
      },
      { name: "worker", command: bin("tsx"), args: ["jobs/worker.ts"], env: shared },
    ],
    database.stop,
  );
  console.log(`[kvartplata] http://localhost:${port} (${options.mode === "dev" ? "development" : "production"}; Ctrl-C stops everything)`);
}
