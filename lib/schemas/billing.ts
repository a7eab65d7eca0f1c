import { z } from "zod";
import { id, month } from "./common";

export const startHouseRunBody = z.strictObject({ period: month });
export const startPortfolioRunBody = z.strictObject({
  period: month,
  /** one of the caller's workspaces; default: their own */
  workspace_id: id.optional(),
});
export const invoicesQuery = z.strictObject({ period: month });
