import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, uploadFile } from "../api";

// TanStack Query hooks of a file import (the payment import's, /api/payment-imports; the readings
// import's, /api/reading-imports): the same steps on each: upload, mapping, rows, commit, discard.

/** Fast enough for the bar to move visibly, cheap for the server (one primary-key read). */
const POLL_MS = 500;
const ROWS_PAGE = 100;

interface ImportViewBase {
  id: number;
  status: string;
}
interface RowsViewBase {
  next_after: number | null;
}

/** `changes`: the queries a commit makes out of date (what the import wrote shows elsewhere). */
export function importHooks<View extends ImportViewBase, Rows extends RowsViewBase, Mapping, RowStatus extends string>(
  resource: string,
  changes: readonly (readonly string[])[] = [],
) {
  const keys = {
    all: [resource] as const,
    one: (id: number) => [resource, "one", id] as const,
    rows: (id: number, status: RowStatus | "") => [resource, "rows", id, status] as const,
  };
  const base = `/api/${resource}`;

  /** One import, polled while a job checks its rows. */
  function useImport(id: number | undefined) {
    return useQuery({
      queryKey: keys.one(id ?? 0),
      queryFn: () => apiFetch<View>(`${base}/${id}`),
      enabled: id !== undefined,
      staleTime: 0,
      refetchInterval: (query) => (query.state.data?.status === "parsing" ? POLL_MS : false),
    });
  }

  /** The checked rows, a page at a time (the cursor is the last line shown). */
  function useImportRows(id: number, status: RowStatus | "", enabled: boolean) {
    return useInfiniteQuery({
      queryKey: keys.rows(id, status),
      enabled,
      initialPageParam: 0,
      queryFn: ({ pageParam }) =>
        apiFetch<Rows>(
          `${base}/${id}/rows?limit=${ROWS_PAGE}${pageParam ? `&after=${pageParam}` : ""}${status ? `&status=${status}` : ""}`,
        ),
      getNextPageParam: (last) => last.next_after ?? undefined,
    });
  }

  /** Uploads the file itself as the body (not JSON, not a form); `query`: more of the upload's parameters. */
  function useUploadImport() {
    const client = useQueryClient();
    return useMutation({
      mutationFn: ({ file, workspaceId, query = "" }: { file: File; workspaceId: number; query?: string }) =>
        uploadFile<View>(`${base}?workspace_id=${workspaceId}&file_name=${encodeURIComponent(file.name.slice(0, 255))}${query}`, file),
      onSuccess: (view) => client.setQueryData(keys.one(view.id), view),
    });
  }

  function useSetMapping(id: number) {
    const client = useQueryClient();
    return useMutation({
      mutationFn: (mapping: Mapping) => apiFetch<View>(`${base}/${id}/mapping`, { method: "PUT", body: mapping }),
      onSuccess: (view) => {
        client.setQueryData(keys.one(id), view);
        void client.invalidateQueries({ queryKey: [resource, "rows", id] });
      },
    });
  }

  /** Imports the rows. No optimistic update: money, or meter readings. */
  function useCommitImport(id: number) {
    const client = useQueryClient();
    return useMutation({
      mutationFn: () => apiFetch<View>(`${base}/${id}/commit`, { method: "POST" }),
      onSuccess: (view) => {
        client.setQueryData(keys.one(id), view);
        void client.invalidateQueries({ queryKey: [resource, "rows", id] });
        // dropped, not refetched: they are not on screen, and a page opened next starts from what its server render sends
        for (const queryKey of changes) client.removeQueries({ queryKey });
      },
    });
  }

  function useDiscardImport(id: number) {
    const client = useQueryClient();
    return useMutation({
      mutationFn: () => apiFetch<void>(`${base}/${id}`, { method: "DELETE" }),
      onSuccess: () => client.removeQueries({ queryKey: keys.one(id) }),
    });
  }

  const rejectedUrl = (id: number, lang: string) => `${base}/${id}/rejected?lang=${lang}`;

  return { useImport, useImportRows, useUploadImport, useSetMapping, useCommitImport, useDiscardImport, rejectedUrl };
}
