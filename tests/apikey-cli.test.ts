import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { apiKey, person, workspace } from "../db/schema";
import { sha256Hex } from "../lib/auth/tokens";
import { api } from "./helpers/api";
import { signIn } from "./helpers/auth";
import { db } from "./helpers/db";

// `npm run apikey -- create …` as a child process against this file's database.

const PHONE = "+7 999 000-00-00";
const E164 = "+79990000000";
const scratch = mkdtempSync(path.join(os.tmpdir(), "kv-apikey-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let runs = 0;
/** Runs the CLI; stdout and stderr share one file, so the output keeps the order it was written in. */
function apikey(...args: string[]): Promise<{ code: number | null; lines: string[] }> {
  const file = path.join(scratch, `run-${++runs}.log`);
  const fd = openSync(file, "w");
  return new Promise((resolve, reject) => {
    const child = spawn(path.join("node_modules", ".bin", "tsx"), ["scripts/apikey.ts", ...args], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
      stdio: ["ignore", fd, fd],
    });
    child.on("error", (e) => {
      closeSync(fd);
      reject(e);
    });
    child.on("close", (code) => {
      closeSync(fd);
      resolve({
        code,
        lines: readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => l.trim() !== ""),
      });
    });
  });
}

const housesWith = (key: string) => api("GET", "/api/houses", undefined, { token: key });

describe("npm run apikey -- create", () => {
  let firstKey: string;

  it("creates the person and their workspace and prints the key alone on the last line", async () => {
    const workspacesBefore = await db().$count(workspace);

    const run = await apikey("create", "--phone", PHONE, "--name", "integration");

    expect(run.code, run.lines.join("\n")).toBe(0);
    firstKey = run.lines.at(-1)!;
    expect(firstKey).toMatch(/^kvk_[A-Za-z0-9_-]{40,}$/);
    const [me] = await db().select().from(person).where(eq(person.phone, E164));
    expect(me).toBeDefined();
    expect(await db().$count(workspace)).toBe(workspacesBefore + 1);
    const [row] = await db()
      .select()
      .from(apiKey)
      .where(eq(apiKey.keyHash, sha256Hex(firstKey)));
    expect(row).toMatchObject({ name: "integration", workspaceId: me.personalWorkspaceId, createdById: me.id });
  });

  it("the key works as a Bearer token in the new person's workspace", async () => {
    const owner = await signIn(E164);
    const made = await api("POST", "/api/houses", { address: "ул. Интеграционная, д. 1" }, { token: owner.token });
    expect(made.status).toBe(201);
    // A house of someone else, which the key must not see.
    await api("POST", "/api/houses", { address: "ул. Посторонняя, д. 1" });

    const res = await housesWith(firstKey);

    expect(res.status).toBe(200);
    expect(res.body.items.map((h: { id: number }) => h.id)).toEqual([made.body.id]);
    expect(res.body.items[0].workspace_id).toBe(owner.workspaceId);
    const created = await api("POST", "/api/houses", { address: "ул. Интеграционная, д. 2" }, { token: firstKey });
    expect(created.status).toBe(201);
    expect(created.body.workspace_id).toBe(owner.workspaceId);
  });

  it("a second run for the same phone reuses the person and makes another working key", async () => {
    const [before] = await db().select().from(person).where(eq(person.phone, E164));
    const people = await db().$count(person);
    const workspaces = await db().$count(workspace);

    const run = await apikey("create", "--phone", "8 999 000 00 00", "--name", "second");

    expect(run.code, run.lines.join("\n")).toBe(0);
    const key = run.lines.at(-1)!;
    expect(key).toMatch(/^kvk_/);
    expect(key).not.toBe(firstKey);
    expect(await db().$count(person)).toBe(people);
    expect(await db().$count(workspace)).toBe(workspaces);
    const [row] = await db()
      .select()
      .from(apiKey)
      .where(eq(apiKey.keyHash, sha256Hex(key)));
    expect(row).toMatchObject({ name: "second", workspaceId: before.personalWorkspaceId, createdById: before.id });
    expect((await housesWith(key)).status).toBe(200);
    expect((await housesWith(firstKey)).status).toBe(200);
  });

  it("refuses a workspace the person does not belong to, and makes no key", async () => {
    const other = await signIn("+79990000077");
    const keys = await db().$count(apiKey);

    const run = await apikey("create", "--phone", PHONE, "--name", "trespass", "--workspace-id", String(other.workspaceId));

    expect(run.code).not.toBe(0);
    expect(run.lines.join("\n")).toMatch(/not found/i);
    expect(run.lines.join("\n")).not.toMatch(/kvk_/);
    expect(await db().$count(apiKey)).toBe(keys);
  });

  it.each([
    ["no arguments", []],
    ["an unknown command", ["delete", "--phone", PHONE, "--name", "x"]],
    ["no --phone", ["create", "--name", "x"]],
    ["no --name", ["create", "--phone", PHONE]],
    ["a blank --name", ["create", "--phone", PHONE, "--name", "  "]],
    ["--phone without its value", ["create", "--name", "x", "--phone"]],
    ["an unknown option", ["create", "--phone", PHONE, "--name", "x", "--scope", "all"]],
  ])("%s: exits non-zero with the usage message and makes no key", async (_name, args) => {
    const keys = await db().$count(apiKey);

    const run = await apikey(...args);

    expect(run.code).not.toBe(0);
    expect(run.lines.join("\n")).toMatch(/usage: npm run apikey -- create --phone <phone> --name <name>/);
    expect(await db().$count(apiKey)).toBe(keys);
  });

  it.each([
    ["an invalid phone", ["create", "--phone", "12345", "--name", "x"], /not a valid phone number: 12345/],
    [
      "a non-numeric --workspace-id",
      ["create", "--phone", PHONE, "--name", "x", "--workspace-id", "abc"],
      /--workspace-id must be a number/,
    ],
    [
      "a --name with a right-to-left override",
      ["create", "--phone", PHONE, "--name", "key\u202egpj.exe"],
      /--name must not contain invisible text-direction marks/,
    ],
    ["a --name over 100 characters", ["create", "--phone", PHONE, "--name", "k".repeat(101)], /--name must be at most 100 characters/],
  ])("%s: exits non-zero with a message saying what is wrong", async (_name, args, message) => {
    const keys = await db().$count(apiKey);

    const run = await apikey(...args);

    expect(run.code).not.toBe(0);
    expect(run.lines.join("\n")).toMatch(message);
    expect(await db().$count(apiKey)).toBe(keys);
  });
});
