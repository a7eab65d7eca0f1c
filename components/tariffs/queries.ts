import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreateNormativeBody, CreateServiceBody, CreateTariffBody, UpdateServiceBody } from "@/lib/schemas/registry";
import type { Normative, NormativeList, Service as ServiceRow, ServiceList, Tariff, TariffList } from "@/lib/schemas/responses";
import { apiFetch } from "../api";
import { houseKeys } from "../houses/queries";

/** What the form sends: the price as typed (a decimal string), house_id for a house's own price. */
export type NewTariff = Pick<CreateTariffBody, "service" | "valid_from"> & { price: string; house_id?: number; workspace_id?: number };

const tariffKeys = {
  all: ["tariffs"] as const,
  list: () => [...tariffKeys.all, "list"] as const,
};

export function useTariffs() {
  return useQuery({ queryKey: tariffKeys.list(), queryFn: () => apiFetch<TariffList>("/api/tariffs") });
}

/** A price corrected or deleted (only while nothing was billed with it): lists and houses refresh. */
function useTariffChange<V>(mutationFn: (input: V) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: tariffKeys.all });
      void client.invalidateQueries({ queryKey: houseKeys.all });
    },
  });
}

export const useUpdateTariff = () =>
  useTariffChange(({ id, ...body }: { id: number; price: string; valid_from: string }) =>
    apiFetch<Tariff>(`/api/tariffs/${id}`, { method: "PATCH", body }),
  );

export const useDeleteTariff = () => useTariffChange((id: number) => apiFetch<void>(`/api/tariffs/${id}`, { method: "DELETE" }));

/** Not optimistic: a price that was never saved must not be shown as in force. */
export function useCreateTariff() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewTariff) => apiFetch<Tariff>("/api/tariffs", { method: "POST", body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: tariffKeys.all });
      // a service's first price switches it on
      void client.invalidateQueries({ queryKey: serviceKeys.all });
      // A house page shows the prices in force.
      void client.invalidateQueries({ queryKey: houseKeys.all });
    },
  });
}

// ---- the services catalogue and the normatives ----

/** What the new-service form sends. */
export type NewService = Pick<CreateServiceBody, "code" | "name_ru" | "name_en" | "basis">;
/** What the new-normative form sends: the value as typed (a decimal string). */
export type NewNormative = Pick<CreateNormativeBody, "service" | "valid_from"> & {
  value: string;
  house_id?: number;
  workspace_id?: number;
};

const serviceKeys = { all: ["services"] as const };
const normativeKeys = { all: ["normatives"] as const };

export function useServices() {
  return useQuery({ queryKey: serviceKeys.all, queryFn: () => apiFetch<ServiceList>("/api/services") });
}

export function useCreateService() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewService) => apiFetch<ServiceRow>("/api/services", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: serviceKeys.all }),
  });
}

/** What a service's edit sends: any of its names, its switch, the houses it is off for. */
export type ServiceChange = Pick<UpdateServiceBody, "name_ru" | "name_en" | "active" | "switched_off_houses">;

/**
 * Renames a service, switches it on or off for every house of its workspace, or switches it off
 * for some houses. Invoices show the new name; the prices' lists name services too.
 */
export function useUpdateService() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ServiceChange & { id: number }) => apiFetch<ServiceRow>(`/api/services/${id}`, { method: "PATCH", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: serviceKeys.all }),
  });
}

/** Deletes a service with its prices (the server refuses one on billed invoices). */
export function useDeleteService() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch<void>(`/api/services/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: serviceKeys.all });
      void client.invalidateQueries({ queryKey: tariffKeys.all });
      void client.invalidateQueries({ queryKey: houseKeys.all });
    },
  });
}

export function useNormatives() {
  return useQuery({ queryKey: normativeKeys.all, queryFn: () => apiFetch<NormativeList>("/api/normatives") });
}

export function useCreateNormative() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewNormative) => apiFetch<Normative>("/api/normatives", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: normativeKeys.all }),
  });
}
