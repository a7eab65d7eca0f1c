// npm run db:migrate – apply pending migrations to DATABASE_URL (or the embedded database).
import { openAppDatabase, prepareDatabase } from "./lib/database";

async function main() {
  const database = await openAppDatabase((line) => console.log(`[db] ${line}`), { whenRunning: "borrow" });
  try {
    await prepareDatabase(database.url);
    console.log("[db] migrations applied");
  } finally {
    await database.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
