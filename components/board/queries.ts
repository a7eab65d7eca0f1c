import { useQuery } from "@tanstack/react-query";
import type { MonthBoard } from "@/lib/schemas/responses";
import { apiFetch } from "../api";

export const boardKeys = {
  all: ["board"] as const,
  month: (period: string) => [...boardKeys.all, period] as const,
};

/**
 * The month board of the caller's workspace. Fresh for a few seconds only: a person comes back
 * to it after entering readings or billing, and it should say so (the first screen comes with
 * the page, so it is not fetched twice on arrival).
 */
export function useMonthBoard(period: string | undefined) {
  return useQuery({
    enabled: period !== undefined,
    queryKey: boardKeys.month(period ?? ""),
    queryFn: () => apiFetch<MonthBoard>(`/api/months/${period}/board`),
    staleTime: 5_000,
  });
}
