import PgBoss from "pg-boss";

/** Queue names. The billing engine adds its queue here. */
export const QUEUES = {} as const satisfies Record<string, string>;

export function createBoss(connectionString: string): PgBoss {
  return new PgBoss({ connectionString, schema: "pgboss", max: 4 });
}

/** pg-boss 10 drops sends to a queue that does not exist: create every queue up front. */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const name of Object.values(QUEUES) as string[]) {
    await boss.createQueue(name);
  }
}
