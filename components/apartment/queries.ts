import { useQueries, useQuery } from "@tanstack/react-query";
import type { Apartment, ApartmentInvoices, ReadingList } from "@/lib/schemas/responses";
import { apiFetch } from "../api";

export type ApartmentMeter = Apartment["meters"][number];

export const apartmentKeys = {
  all: ["apartments"] as const,
  detail: (id: number) => [...apartmentKeys.all, id] as const,
  invoices: (id: number) => [...apartmentKeys.all, id, "invoices"] as const,
};

export const meterKeys = {
  readings: (id: number) => ["meters", id, "readings"] as const,
};

export function useApartment(id: number) {
  return useQuery({ queryKey: apartmentKeys.detail(id), queryFn: () => apiFetch<Apartment>(`/api/apartments/${id}`) });
}

/** `fresh`: fetched again at every mount, whatever is cached (shown meanwhile). */
export function useApartmentInvoices(id: number, { fresh = false }: { fresh?: boolean } = {}) {
  return useQuery({
    queryKey: apartmentKeys.invoices(id),
    queryFn: () => apiFetch<ApartmentInvoices>(`/api/apartments/${id}/invoices`),
    refetchOnMount: fresh ? "always" : true,
  });
}

/** Every meter's full history with consumption, fetched side by side (an apartment has a few meters). */
export function useMeterReadings(meterIds: number[]) {
  return useQueries({
    queries: meterIds.map((id) => ({
      queryKey: meterKeys.readings(id),
      queryFn: () => apiFetch<ReadingList>(`/api/meters/${id}/readings`),
    })),
  });
}
