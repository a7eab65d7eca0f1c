// npm start – the production build (npm run build first), run as the image runs it: migrations
// applied at start (dist/migrate.mjs), the standalone server and the bundled worker; no demo data.
import { existsSync } from "node:fs";
import path from "node:path";
import { boot } from "./lib/boot";
import { BUNDLES, SERVER, runtimeDir } from "./lib/runtime-layout";

const missing = [SERVER, ...Object.values(BUNDLES).map((b) => b.out)].filter((file) => !existsSync(path.join(runtimeDir(), file)));
if (missing.length > 0) {
  console.error(`No production build in ${runtimeDir()} (missing ${missing.join(", ")}): run \`npm run build\` first.`);
  process.exit(1);
}
boot({ mode: "start" }).catch((e) => {
  console.error(e);
  process.exit(1);
});
