import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { billingRun } from "../../db/schema";
import { inTransaction, jobSender, QUEUES, type BillingPartJob } from "../../jobs/boss";
import { env } from "../env";
import { dateToMonth } from "../months";
import { failRun, lockRun } from "./runs";

/** The run's apartments: its house's, or every house's of its workspace; none added after the request. */
export const runApartments = (run: { houseId: number | null; workspaceId: number; apartmentIdBound: number }) => sql`
  select a.id, a.house_id, a.area from apartment a
  where a.id <= ${run.apartmentIdBound}
    and ${run.houseId === null ? sql`a.house_id in (select id from house where workspace_id = ${run.workspaceId})` : sql`a.house_id = ${run.houseId}`}`;

export type PlanResult =
  { kind: "planned"; partIds: number[] } | { kind: "completed" } | { kind: "failed"; error: string } | { kind: "skipped" };

/**
 * Starts a queued run: fixes the price of every service each house needs (failing the run,
 * before any invoice, when one is missing), splits the apartments into parts by id and
 * enqueues a job per part, all in one transaction. Running it twice does nothing the second time.
 */
export async function planBillingRun(db: DbOrTx, runId: number, options: { enqueue?: boolean } = {}): Promise<PlanResult> {
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (!run || run.status !== "queued") return { kind: "skipped" };
    const apartments = runApartments(run);
    const [{ bound }] = await tx.execute<{ bound: number }>(sql`select coalesce(max(id), 0)::int as bound from meter`);

    await tx.execute(sql`
      insert into billing_run_price (run_id, house_id, service, tariff_id, price)
      select distinct on (h.id, t.service) ${runId}, h.id, t.service, t.id, t.price
      from house h
      join tariff t on t.workspace_id = h.workspace_id and (t.house_id = h.id or t.house_id is null) and t.valid_from <= ${run.period}
      where h.id in (select house_id from (${apartments}) s)
      order by h.id, t.service, (t.house_id is null), t.valid_from desc`);

    // Maintenance for every house with apartments; a water service where the house has its meters.
    const missing = await tx.execute<{ house_id: number; address: string; service: string }>(sql`
      with apts as (${apartments}),
      needed as (
        select distinct house_id, 'maintenance'::tariff_service as service from apts
        union
        select distinct apts.house_id, m.service::text::tariff_service from apts join meter m on m.apartment_id = apts.id and m.id <= ${bound}
      )
      select n.house_id, h.address, n.service::text as service
      from needed n join house h on h.id = n.house_id
      where not exists (select 1 from billing_run_price p where p.run_id = ${runId} and p.house_id = n.house_id and p.service = n.service)
      order by n.house_id, n.service`);
    if (missing.length > 0) {
      const month = dateToMonth(run.period);
      const list = missing.slice(0, 5).map((m) => `${m.service} for house ${m.house_id} (${m.address})`);
      const error = `no price in force in ${month}: ${list.join("; ")}${missing.length > 5 ? `; and ${missing.length - 5} more` : ""}. Add the tariff and run again.`;
      await tx.execute(sql`delete from billing_run_price where run_id = ${runId}`);
      await failRun(tx, runId, error);
      return { kind: "failed", error };
    }

    const parts = await tx.execute<{ id: number }>(sql`
      insert into billing_run_part (run_id, first_apartment_id, last_apartment_id, cursor, total)
      select ${runId}, min(id), max(id), min(id) - 1, count(*)::int
      from (select id, (row_number() over (order by id) - 1) / ${env().BILLING_PART_SIZE} as part from (${apartments}) s) numbered
      group by part
      order by part
      returning id`);
    const total = await tx.execute<{ n: number }>(
      sql`select coalesce(sum(total), 0)::int as n from billing_run_part where run_id = ${runId}`,
    );

    if (parts.length === 0) {
      await tx
        .update(billingRun)
        .set({ status: "completed", total: 0, processed: 0, startedAt: sql`now()`, finishedAt: sql`now()` })
        .where(eq(billingRun.id, runId));
      return { kind: "completed" };
    }
    // The apartments as they stand now (some may have been deleted since the request).
    await tx
      .update(billingRun)
      .set({ status: "running", total: total[0].n, meterIdBound: bound, startedAt: sql`now()` })
      .where(eq(billingRun.id, runId));
    if (options.enqueue !== false) {
      await jobSender().insert(
        parts.map((p) => ({ name: QUEUES.billingPart, data: { runId, partId: p.id } satisfies BillingPartJob })),
        { db: inTransaction(tx) },
      );
    }
    return { kind: "planned", partIds: parts.map((p) => p.id) };
  });
}
