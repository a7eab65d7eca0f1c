// npm run check – the guard rails, each run even when an earlier one fails: the type check,
// ESLint (rules and layering), Prettier's format check and knip (unused files, exports and
// dependencies). npm test runs it before the suites.
import { spawn } from "node:child_process";
import path from "node:path";

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);

const STEPS: { name: string; command: string; args: string[] }[] = [
  { name: "typecheck", command: bin("tsc"), args: ["--noEmit"] },
  {
    name: "lint",
    command: bin("eslint"),
    args: [".", "--max-warnings", "0", "--cache", "--cache-location", "node_modules/.cache/eslint/"],
  },
  { name: "format", command: bin("prettier"), args: ["--check", ".", "--log-level", "warn"] },
  { name: "unused", command: bin("knip"), args: [] },
];

function run(step: (typeof STEPS)[number]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { stdio: "inherit" });
    child.on("error", () => resolve(false));
    child.on("exit", (code) => resolve(code === 0));
  });
}

async function main() {
  const failed: string[] = [];
  for (const step of STEPS) {
    const started = performance.now();
    const ok = await run(step);
    console.log(`[check] ${step.name}: ${ok ? "ok" : "FAILED"} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    if (!ok) failed.push(step.name);
  }
  if (failed.length > 0) {
    console.log(`[check] failed: ${failed.join(", ")}`);
    process.exit(1);
  }
}

void main();
