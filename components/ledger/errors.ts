"use client";

import { ApiClientError } from "../api";
import { useApiError, useErrorTexts, type ApiErrorView } from "../ui/errors";

/**
 * The refusals of a payment that are about one field but come with a generic field reason
 * ("invalid"): their own text goes under that field instead ("The date is in the future.").
 */
const REASON_FIELDS: Record<string, string> = { date_in_future: "paid_on", account_number_unknown: "account_number" };

/** useApiError for the payment forms. */
export function usePaymentError(error: unknown, fields: readonly string[]): ApiErrorView {
  const view = useApiError(error, fields);
  const texts = useErrorTexts();
  const field = error instanceof ApiClientError && error.reason ? REASON_FIELDS[error.reason] : undefined;
  if (field && fields.includes(field)) return { ...view, form: undefined, fields: { [field]: texts.message(error) } };
  return view;
}
