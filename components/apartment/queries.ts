import { useQueries, useQuery } from "@tanstack/react-query";
import type { listApartmentInvoices } from "@/lib/billing/invoices";
import type { getApartment } from "@/lib/registry/apartments";
import type { listReadings } from "@/lib/registry/readings";
import { apiFetch } from "../api";

export type ApartmentDetail = Awaited<ReturnType<typeof getApartment>>;
export type ApartmentMeter = ApartmentDetail["meters"][number];
export type ReadingList = Awaited<ReturnType<typeof listReadings>>;
export type ApartmentInvoices = Awaited<ReturnType<typeof listApartmentInvoices>>;
export type Invoice = ApartmentInvoices["items"][number];
export type InvoiceLine = Invoice["lines"][number];

export const apartmentKeys = {
  all: ["apartments"] as const,
  detail: (id: number) => [...apartmentKeys.all, id] as const,
  invoices: (id: number) => [...apartmentKeys.all, id, "invoices"] as const,
};

export const meterKeys = {
  readings: (id: number) => ["meters", id, "readings"] as const,
};

export function useApartment(id: number) {
  return useQuery({ queryKey: apartmentKeys.detail(id), queryFn: () => apiFetch<ApartmentDetail>(`/api/apartments/${id}`) });
}

export function useApartmentInvoices(id: number) {
  return useQuery({ queryKey: apartmentKeys.invoices(id), queryFn: () => apiFetch<ApartmentInvoices>(`/api/apartments/${id}/invoices`) });
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
