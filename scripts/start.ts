// npm start – the production build (npm run build first): migrations applied at start, no demo data.
import { existsSync } from "node:fs";
import { boot } from "./lib/boot";

if (!existsSync(`${process.env.NEXT_DIST_DIR ?? ".next"}/BUILD_ID`)) {
  console.error("No production build found: run `npm run build` first.");
  process.exit(1);
}
boot({ mode: "start" }).catch((e) => {
  console.error(e);
  process.exit(1);
});
