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
