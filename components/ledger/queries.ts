import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PaymentSource } from "@/lib/constants";
import type { z } from "zod";
import type { AccountOut, CreatePaymentBody, DebtorsOut, OpeningBalanceBody, PaymentOut, paymentPage } from "@/lib/schemas/ledger";
import { apiFetch } from "../api";

// The apartment's account, the debtors and the payments (issue 16). `asOf` null: today, as the
// server counts it (the pages' first screen is prefetched with it).

/** The payments list's filters, as GET /api/payments takes them (all optional). */
export interface PaymentFilters {
  house_id?: number;
  /** "YYYY-MM-DD", paid on or after / on or before */
  from?: string;
  to?: string;
  source?: PaymentSource;
}

export type PaymentPageOut = z.infer<typeof paymentPage>;

export const ledgerKeys = {
  all: ["ledger"] as const,
  account: (id: number, asOf: string | null) => [...ledgerKeys.all, "account", id, asOf] as const,
  houseDebtors: (houseId: number, asOf: string | null) => [...ledgerKeys.all, "debtors", houseId, asOf] as const,
  payments: (filters: PaymentFilters) => [...ledgerKeys.all, "payments", filters] as const,
};

const withAsOf = (path: string, asOf: string | null) => (asOf ? `${path}?as_of=${asOf}` : path);

export function useAccount(id: number, asOf: string | null) {
  return useQuery({
    queryKey: ledgerKeys.account(id, asOf),
    queryFn: () => apiFetch<AccountOut>(withAsOf(`/api/apartments/${id}/account`, asOf)),
    placeholderData: (previous) => previous,
  });
}

/** `enabled`: only where the role may see billing (an operator is refused the debtors). */
export function useHouseDebtors(houseId: number, asOf: string | null, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ledgerKeys.houseDebtors(houseId, asOf),
    queryFn: () => apiFetch<DebtorsOut>(withAsOf(`/api/houses/${houseId}/debtors`, asOf)),
    placeholderData: (previous) => previous,
    enabled,
  });
}

/** How the payments' pages follow each other (also for the page's prefetch). */
export const paymentPages = {
  initialPageParam: null as number | null,
  getNextPageParam: (last: PaymentPageOut) => last.next_before,
};

export const PAYMENTS_PAGE = 50;

function paymentsQuery(filters: PaymentFilters, before: number | null): string {
  const params = new URLSearchParams({ limit: String(PAYMENTS_PAGE) });
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== "") params.set(key, String(value));
  if (before !== null) params.set("before", String(before));
  return params.toString();
}

/** The caller's payments, newest first, a page at a time ("show more" fetches the next one). */
export function usePayments(filters: PaymentFilters) {
  return useInfiniteQuery({
    queryKey: ledgerKeys.payments(filters),
    queryFn: ({ pageParam }) => apiFetch<PaymentPageOut>(`/api/payments?${paymentsQuery(filters, pageParam)}`),
    ...paymentPages,
  });
}

/** Every write changes balances, debtors and the payments list: all of them are fetched again. */
function useLedgerMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => client.invalidateQueries({ queryKey: ledgerKeys.all }) });
}

export const useCreatePayment = () =>
  useLedgerMutation((body: CreatePaymentBody) => apiFetch<PaymentOut>("/api/payments", { method: "POST", body }));

export const useReversePayment = () =>
  useLedgerMutation(({ id, reason }: { id: number; reason: string }) =>
    apiFetch<PaymentOut>(`/api/payments/${id}/reverse`, { method: "POST", body: { reason } }),
  );

export const useSetOpeningBalance = (apartmentId: number) =>
  useLedgerMutation((body: OpeningBalanceBody) =>
    apiFetch<AccountOut>(`/api/apartments/${apartmentId}/opening-balance`, { method: "PUT", body }),
  );
