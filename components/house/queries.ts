import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { MeterService } from "@/lib/constants";
import type { Apartment, BillingRunList, HouseDetail, Meter } from "@/lib/schemas/responses";
import { apiFetch } from "../api";
import { apartmentKeys } from "../apartment/queries";
import { houseKeys } from "../houses/queries";
import { unpackHouse, type PackedHouse } from "./packed";

export const houseDetailKeys = {
  detail: (id: number) => [...houseKeys.all, "detail", id] as const,
  billingRuns: (id: number) => [...houseKeys.all, "detail", id, "billing-runs"] as const,
  /** the house as the page's server render sent it (packed.ts), the first data of `detail` */
  packed: (id: number) => [...houseKeys.all, "packed", id] as const,
};

/** The whole house in one request: apartments, their meters with last readings, prices in force. */
export function useHouseDetail(id: number) {
  const client = useQueryClient();
  const packedKey = houseDetailKeys.packed(id);
  return useQuery({
    queryKey: houseDetailKeys.detail(id),
    queryFn: () => apiFetch<HouseDetail>(`/api/houses/${id}`),
    initialData: () => {
      const packed = client.getQueryData<PackedHouse>(packedKey);
      return packed && unpackHouse(packed);
    },
    initialDataUpdatedAt: () => client.getQueryState(packedKey)?.dataUpdatedAt,
  });
}

const RUN_POLL_MS = 2000;

export function useHouseBillingRuns(id: number) {
  return useQuery({
    queryKey: houseDetailKeys.billingRuns(id),
    queryFn: () => apiFetch<BillingRunList>(`/api/houses/${id}/billing-runs`),
    // A run under way (started from the billing page or another tab) moves on its own.
    refetchInterval: (query) =>
      query.state.data?.items.some((r) => r.status === "queued" || r.status === "running") ? RUN_POLL_MS : false,
  });
}

/** After a change to the register: this house (not its runs), the house list's counts and areas. */
function refreshHouse(client: QueryClient, houseId: number) {
  return Promise.all([
    client.invalidateQueries({ queryKey: houseDetailKeys.detail(houseId), exact: true }),
    client.invalidateQueries({ queryKey: [...houseKeys.all, "list"] }),
  ]);
}

export function useUpdateHouse(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (address: string) => apiFetch<HouseDetail>(`/api/houses/${houseId}`, { method: "PATCH", body: { address } }),
    onSuccess: (house) => {
      client.setQueryData(houseDetailKeys.detail(houseId), house);
      return client.invalidateQueries({ queryKey: [...houseKeys.all, "list"] });
    },
  });
}

export interface ApartmentInput {
  number: string;
  /** m², a decimal string */
  area: string;
  /** persons registered (residents-based services, estimates by the normative) */
  residents?: number | string;
  /** the account (лицевой счёт) number; absent on a new apartment: the system numbers it */
  account_number?: string;
  /** the owner's (payer's) name for the payment document; "" clears it */
  owner_name?: string;
}

export function useCreateApartment(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ApartmentInput) => apiFetch<Apartment>(`/api/houses/${houseId}/apartments`, { method: "POST", body: input }),
    onSuccess: () => refreshHouse(client, houseId),
  });
}

export function useUpdateApartment(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: ApartmentInput & { id: number }) =>
      apiFetch<unknown>(`/api/apartments/${id}`, { method: "PATCH", body: input }),
    onSuccess: (_, { id }) =>
      Promise.all([refreshHouse(client, houseId), client.invalidateQueries({ queryKey: apartmentKeys.detail(id) })]),
  });
}

export function useDeleteApartment(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch<void>(`/api/apartments/${id}`, { method: "DELETE" }),
    onSuccess: (_, id) => {
      client.removeQueries({ queryKey: apartmentKeys.detail(id) });
      return refreshHouse(client, houseId);
    },
  });
}

/** Archives an apartment (or brings it back): gone from the lists and later runs, its invoices kept. */
export function useArchiveApartment(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, archived }: { id: number; archived: boolean }) =>
      apiFetch<Apartment>(`/api/apartments/${id}`, { method: "PATCH", body: { archived } }),
    onSuccess: (apartment) => {
      client.setQueryData(apartmentKeys.detail(apartment.id), apartment);
      // Its meters leave (or join) the reading sheets too.
      return Promise.all([refreshHouse(client, houseId), client.invalidateQueries({ queryKey: ["readings"] })]);
    },
  });
}

export interface MeterInput {
  serial_number: string;
  service: MeterService;
  /** "YYYY-MM-DD", or null when unknown */
  installed_on: string | null;
  /** "YYYY-MM-DD", the last day of its verification interval, or null when not recorded */
  verified_until: string | null;
}

export function useCreateMeter(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ apartmentId, ...input }: MeterInput & { apartmentId: number }) =>
      apiFetch<Meter>(`/api/apartments/${apartmentId}/meters`, { method: "POST", body: input }),
    onSuccess: (_, { apartmentId }) =>
      Promise.all([refreshHouse(client, houseId), client.invalidateQueries({ queryKey: apartmentKeys.detail(apartmentId) })]),
  });
}

export function useUpdateMeter(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    // apartmentId only tells which apartment page to refresh.
    mutationFn: ({ id, apartmentId: _apartment, ...body }: Partial<MeterInput> & { id: number; apartmentId: number }) =>
      apiFetch<unknown>(`/api/meters/${id}`, { method: "PATCH", body }),
    onSuccess: (_, { apartmentId }) =>
      Promise.all([refreshHouse(client, houseId), client.invalidateQueries({ queryKey: apartmentKeys.detail(apartmentId) })]),
  });
}

export function useDeleteMeter(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id }: { id: number; apartmentId: number }) => apiFetch<void>(`/api/meters/${id}`, { method: "DELETE" }),
    onSuccess: (_, { apartmentId }) =>
      Promise.all([refreshHouse(client, houseId), client.invalidateQueries({ queryKey: apartmentKeys.detail(apartmentId) })]),
  });
}
