// npm run dev – embedded PostgreSQL (unless DATABASE_URL), migrations, demo data when empty,
// then Next.js in development mode and the worker. Ctrl-C stops all of it.
import { createDb } from "../db/connect";
import { seedDemoData } from "./lib/demo-seed";
import { env } from "../lib/env";
import { currentMonth } from "../lib/months";
import { boot } from "./lib/boot";

boot({
  mode: "dev",
  prepare: async (url) => {
    const handle = createDb(url, { max: 1 });
    try {
      const summary = await seedDemoData(handle.db, currentMonth(env().APP_TIMEZONE));
      if (summary)
        console.log(
          `[db] demo data loaded: ${summary.houses} houses, ${summary.apartments} apartments, ${summary.meters} meters, ${summary.readings} readings`,
        );
    } finally {
      await handle.close();
    }
  },
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
