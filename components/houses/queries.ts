import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../api";
import type { HouseDetail, HousePage, HouseSummary } from "@/lib/schemas/responses";

export const HOUSE_LIST_LIMIT = 200;

export const houseKeys = {
  all: ["houses"] as const,
  list: (q: string) => [...houseKeys.all, "list", q] as const,
  summary: (id: number) => [...houseKeys.all, "summary", id] as const,
};

/** A house's name and counts without its apartments: for pages that only need to say which house. */
export function useHouseSummary(id: number | undefined) {
  return useQuery({
    queryKey: houseKeys.summary(id ?? 0),
    queryFn: () => apiFetch<HouseSummary>(`/api/houses/${id}/summary`),
    enabled: id !== undefined,
  });
}

export function useHouses(q: string) {
  return useQuery({
    queryKey: houseKeys.list(q),
    queryFn: () => apiFetch<HousePage>(`/api/houses?limit=${HOUSE_LIST_LIMIT}${q ? `&q=${encodeURIComponent(q)}` : ""}`),
  });
}

export function useCreateHouse() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (address: string) => apiFetch<HouseDetail>("/api/houses", { method: "POST", body: { address } }),
    onSuccess: () => client.invalidateQueries({ queryKey: houseKeys.all }),
  });
}
