import { ApiError } from "../api/errors";

/**
 * 409 month_closed: the same answer for every write into a closed month, whoever refuses it
 * (lib/billing/months.ts before a run or a posting, the database's triggers for every write,
 * through lib/api/db-errors.ts).
 */
export function monthClosed(params: { month: string; closed_through: string; house_id: number; address?: string }): ApiError {
  return new ApiError({
    reason: "month_closed",
    message:
      `${params.month} is closed for house ${params.house_id}${params.address ? ` (${params.address})` : ""}: ` +
      `it is posted through ${params.closed_through}, and its readings, prices, normatives and invoices no longer change. ` +
      "A correction goes into the next open month's true-up.",
    params: { ...params, address: params.address ?? "" },
  });
}
