import { ApiError } from "./api/errors";
import { env } from "./env";
import { currentMonth, type Month } from "./months";

/** Readings and bills are for past months and the current one, never for a month to come. */
export function assertNotFuture(period: Month, what: string): void {
  const now = currentMonth(env().APP_TIMEZONE);
  if (period > now) {
    throw new ApiError({
      code: "validation_failed",
      message: `period ${period} is in the future; ${what} up to the current month ${now}`,
      fields: { period: `must not be after the current month ${now}` },
    });
  }
}
