// npm run dev – embedded PostgreSQL (unless DATABASE_URL), migrations, demo data when empty,
// then Next.js in development mode and the worker. Ctrl-C stops all of it.
import { createDb } from "../db/connect";
import { DEMO_MEMBERS, DEMO_PENDING_PHONE, DEMO_PHONE, seedDemoData } from "./lib/demo-seed";
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
          `[db] demo data loaded: ${summary.houses} houses, ${summary.apartments} apartments, ${summary.meters} meters, ${summary.readings} readings\n` +
            `[db] sign in as ${DEMO_PHONE} (owner), ${DEMO_MEMBERS.map((m) => `${m.phone} (${m.role})`).join(", ")}; ` +
            `${DEMO_PENDING_PHONE} awaits admission`,
        );
    } finally {
      await handle.close();
    }
  },
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
