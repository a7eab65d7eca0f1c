// The second half of `npm run build`, after `next build`: completes <distDir>/standalone into the
// folder production runs (scripts/lib/runtime-layout.ts): static assets, public/, drizzle/, the
// payment documents' fonts, and
// the worker and migration step bundled with esbuild, since the image has no tsx or dev
// dependencies.
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";
import { BUNDLES, COPIED_FILES, COPIED_FOLDERS, SERVER, bundleOptions, distDir, runtimeDir } from "./lib/runtime-layout";

async function main() {
  const dist = distDir();
  const runtime = runtimeDir(dist);
  if (!existsSync(path.join(runtime, SERVER))) {
    throw new Error(`${runtime}/${SERVER} is missing: run \`next build\` first (next.config.mjs must keep output: "standalone")`);
  }
  await fs.cp(path.join(dist, "static"), path.join(runtime, dist, "static"), { recursive: true });
  for (const folder of COPIED_FOLDERS) {
    if (existsSync(folder)) await fs.cp(folder, path.join(runtime, folder), { recursive: true });
  }
  for (const file of COPIED_FILES) {
    await fs.mkdir(path.dirname(path.join(runtime, file)), { recursive: true });
    await fs.copyFile(file, path.join(runtime, file));
  }
  for (const { entry, out } of Object.values(BUNDLES)) await build(bundleOptions(entry, path.join(runtime, out)));
  // next build copies .env* files next to server.js, which would then load them: settings come
  // from the environment (compose, the shell), and a password has no business in the build.
  for (const file of await fs.readdir(runtime)) {
    if (file.startsWith(".env")) await fs.rm(path.join(runtime, file), { force: true });
  }
  console.log(
    `[build] ${runtime}: ${SERVER}, ${Object.values(BUNDLES)
      .map((b) => b.out)
      .join(", ")}, static assets and migrations`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
