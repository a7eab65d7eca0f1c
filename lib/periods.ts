import { ApiError, fieldError } from "./api/errors";
import { env } from "./env";
import { currentMonth, type Month } from "./months";

/** Readings and bills are for past months and the current one, never for a month to come. */
export function assertNotFuture(period: Month, what: string): void {
  const now = currentMonth(env().APP_TIMEZONE);
  if (period > now) {
    throw new ApiError({
      reason: "period_in_future",
      message: `period ${period} is in the future; ${what} up to the current month ${now}`,
      params: { period, current: now },
      fields: { period: fieldError("period_in_future", `must not be after the current month ${now}`, { period, current: now }) },
    });
  }
}
