import { useInfiniteQuery } from "@tanstack/react-query";
import type { HistoryEntity } from "@/lib/constants";
import type { HistoryPage } from "@/lib/schemas/responses";
import { apiFetch } from "../api";

/** The workspace history's filters, as GET /api/history takes them (all optional). */
export interface HistoryFilters {
  person_id?: number;
  api_key_id?: number;
  entity?: HistoryEntity;
  /** "YYYY-MM-DD": whole days in the app's time zone */
  from?: string;
  to?: string;
}

export const historyKeys = {
  all: ["history"] as const,
  workspace: (filters: HistoryFilters) => [...historyKeys.all, "workspace", filters] as const,
  apartment: (id: number) => [...historyKeys.all, "apartment", id] as const,
};

/** The query string of the filters that are set. */
function historyQuery(filters: HistoryFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== "") params.set(key, String(value));
  return params.toString();
}

const withCursor = (path: string, before: number | null) =>
  before === null ? path : `${path}${path.includes("?") ? "&" : "?"}before=${before}`;

/** How the history's pages follow each other (also for the pages' prefetch). */
export const historyPages = {
  initialPageParam: null as number | null,
  getNextPageParam: (last: HistoryPage) => last.next_before,
};

/** The workspace history, newest first, a page at a time ("show older" fetches the next one). */
export function useWorkspaceHistory(filters: HistoryFilters) {
  const query = historyQuery(filters);
  return useInfiniteQuery({
    queryKey: historyKeys.workspace(filters),
    queryFn: ({ pageParam }) => apiFetch<HistoryPage>(withCursor(`/api/history${query ? `?${query}` : ""}`, pageParam)),
    ...historyPages,
  });
}

/** An apartment's history, its meters and readings included. */
export function useApartmentHistory(id: number) {
  return useInfiniteQuery({
    queryKey: historyKeys.apartment(id),
    queryFn: ({ pageParam }) => apiFetch<HistoryPage>(withCursor(`/api/apartments/${id}/history`, pageParam)),
    ...historyPages,
  });
}
