import { z } from "zod";
import { planBillingRun } from "../billing/plan-billing-run";
import { id } from "../schemas/values";
import type { JobDefinition } from "./boss";
import { BILLING_PLAN } from "./queues";

const payload = z.strictObject({ runId: id });

/** Plans a queued run: fixes its prices and enqueues a billing-part job per part (lib/billing/plan-billing-run.ts). */
export const billingPlanJob: JobDefinition<typeof payload> = {
  name: BILLING_PLAN,
  payload,
  async handle({ runId }, context) {
    const result = await planBillingRun(context.db, runId);
    context.log.info({ runId, result: result.kind, parts: result.kind === "planned" ? result.partIds.length : 0 }, "billing run planned");
    if (result.kind === "planned") context.onPlanned?.();
  },
};
