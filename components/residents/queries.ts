import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  CreateResidentBody,
  MyApartmentDetail,
  MyApartmentList,
  ResidentList,
  ResidentReadingsBody,
  ResidentReadingsSaved,
} from "@/lib/schemas/residents";
import { apiFetch } from "../api";

const residentKeys = {
  ofApartment: (apartmentId: number) => ["apartments", apartmentId, "residents"] as const,
  mine: ["my", "apartments"] as const,
  myApartment: (id: number) => ["my", "apartments", id] as const,
};

// ---- a manager's residents of an apartment ----

export const useResidents = (apartmentId: number, enabled = true) =>
  useQuery({
    queryKey: residentKeys.ofApartment(apartmentId),
    queryFn: () => apiFetch<ResidentList>(`/api/apartments/${apartmentId}/residents`),
    enabled,
  });

export function useAddResident(apartmentId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateResidentBody) => apiFetch(`/api/apartments/${apartmentId}/residents`, { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: residentKeys.ofApartment(apartmentId) }),
  });
}

export function useRemoveResident(apartmentId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (residentId: number) => apiFetch(`/api/apartments/${apartmentId}/residents/${residentId}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: residentKeys.ofApartment(apartmentId) }),
  });
}

// ---- a resident's own apartments ----

export const useMyApartments = () =>
  useQuery({ queryKey: residentKeys.mine, queryFn: () => apiFetch<MyApartmentList>("/api/my/apartments") });

export const useMyApartment = (id: number) =>
  useQuery({ queryKey: residentKeys.myApartment(id), queryFn: () => apiFetch<MyApartmentDetail>(`/api/my/apartments/${id}`) });

export function useSendMyReadings(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ResidentReadingsBody) =>
      apiFetch<ResidentReadingsSaved>(`/api/my/apartments/${id}/readings`, { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["my"] }),
  });
}

export const myReceiptUrl = (id: number, period: string) => `/api/my/apartments/${id}/receipt?period=${period}`;
