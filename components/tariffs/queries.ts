import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreateTariffBody } from "@/lib/schemas/registry";
import type { Tariff, TariffList } from "@/lib/schemas/responses";
import { apiFetch } from "../api";
import { houseKeys } from "../houses/queries";

export type Service = Tariff["service"];
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
      // A house page shows the prices in force.
      void client.invalidateQueries({ queryKey: houseKeys.all });
    },
  });
}
