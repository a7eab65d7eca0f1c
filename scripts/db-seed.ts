// npm run db:seed – load the demo register into an empty database (DATABASE_URL or embedded).
import { createDb } from "../db/connect";
import { seedDemoData } from "./lib/demo-seed";
import { env } from "../lib/env";
import { currentMonth } from "../lib/months";
import { openAppDatabase, prepareDatabase } from "./lib/database";

async function main() {
  const database = await openAppDatabase((line) => console.log(`[db] ${line}`), { whenRunning: "borrow" });
  try {
    await prepareDatabase(database.url);
    const handle = createDb(database.url, { max: 1 });
    try {
      const summary = await seedDemoData(handle.db, currentMonth(env().APP_TIMEZONE));
      console.log(
        summary ? `[db] demo data loaded: ${JSON.stringify(summary)}` : "[db] the database already has houses: demo data not loaded",
      );
    } finally {
      await handle.close();
    }
  } finally {
    await database.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
