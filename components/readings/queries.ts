import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { BulkReadingsResult, ReadingSheet } from "@/lib/schemas/responses";
import { apiFetch } from "../api";
import { unpackSheet, type PackedSheet } from "./packed";

export interface ReadingsToSave {
  period: string;
  readings: { meter_id: number; value: string }[];
}

export const readingKeys = {
  all: ["readings"] as const,
  sheet: (houseId: number, period: string) => [...readingKeys.all, "sheet", houseId, period] as const,
  /** the sheet as the page's server render sent it (packed.ts), the first data of `sheet` */
  packed: (houseId: number, period: string) => [...readingKeys.all, "packed", houseId, period] as const,
};

/** The whole house's sheet for a month in one request, however many meters it has. */
export function useReadingSheet(houseId: number, period: string | undefined) {
  const client = useQueryClient();
  const packedKey = readingKeys.packed(houseId, period ?? "");
  return useQuery({
    queryKey: readingKeys.sheet(houseId, period ?? ""),
    queryFn: () => apiFetch<ReadingSheet>(`/api/houses/${houseId}/readings?period=${encodeURIComponent(period!)}`),
    enabled: period !== undefined,
    initialData: () => {
      const packed = client.getQueryData<PackedSheet>(packedKey);
      return packed && unpackSheet(packed);
    },
    initialDataUpdatedAt: () => client.getQueryState(packedKey)?.dataUpdatedAt,
  });
}

/** A value just saved from this sheet is the member's own; the refetch brings who exactly. */
const typedHere = {
  source: "manager",
  sent_by: { person_id: null, phone: null, api_key_id: null, api_key_name: null, import_id: null },
} as const;

/** One save for the sheet: the server takes all of it or nothing. */
export function useSaveReadings(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ReadingsToSave) => apiFetch<BulkReadingsResult>(`/api/houses/${houseId}/readings`, { method: "POST", body: input }),
    onSuccess: (saved, input) => {
      // What the server has just confirmed, shown at once; the refetch below brings the rest.
      const values = new Map(saved.items.map((i) => [i.meter_id, i.value]));
      client.setQueryData<ReadingSheet>(
        readingKeys.sheet(houseId, input.period),
        (sheet) =>
          sheet && {
            ...sheet,
            items: sheet.items.map((item) =>
              values.has(item.meter_id) ? { ...item, current: { value: values.get(item.meter_id)!, ...typedHere } } : item,
            ),
          },
      );
      // Readings show up on many pages (other months' sheets, last readings, histories, bills):
      // mark everything stale; only this page's sheet is active and refetches now.
      void client.invalidateQueries();
    },
  });
}
