import type { FormEvent, ReactNode } from "react";
import { buttonClass, dangerButtonClass, SelectField, secondaryButtonClass } from "../ui/field";
import { SubmitButton } from "../ui/submit-button";

// Pieces of the import pages (payments, readings): the file's first rows and the rows' counts.

/** The file's columns and first lines, as the upload answered them. */
export function FileSample({ caption, columns, sample }: { caption: string; columns: string[]; sample: string[][] }) {
  if (sample.length === 0) return null;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="mb-1 text-left text-slate-700">{caption}</caption>
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            {columns.map((name, i) => (
              <th key={i} scope="col" className="px-2 py-1 whitespace-nowrap">
                {`${i + 1}. ${name}`}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sample.map((cells, r) => (
            <tr key={r} className="border-t border-slate-100">
              {cells.map((cell, i) => (
                <td key={i} className="px-2 py-1 whitespace-nowrap">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The checked rows by status: [status, its label, how many, its colour]. */
export function ImportCounts({ label, counts }: { label: string; counts: [key: string, name: string, n: number, color: string][] }) {
  return (
    <dl className="grid grid-cols-3 gap-2 text-center" aria-label={label}>
      {counts.map(([key, name, n, color]) => (
        <div key={key} className="rounded border border-slate-200 p-2">
          <dt className="text-sm text-slate-700">{name}</dt>
          <dd className={`text-xl font-semibold tabular-nums ${color}`} data-testid={`count-${key}`}>
            {n}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export interface ImportActionsProps {
  /** the confirm button's text and question; null: no button (committed, or nothing to import) */
  confirm: { label: string; question: string; pending: boolean; onConfirm: () => void } | null;
  /** the rejected rows' file; null when there are none */
  rejected: { label: string; href: string } | null;
  /** the discard button; null once committed */
  discard: { label: string; pending: boolean; onDiscard: () => void } | null;
  /** the commit's or the discard's failure, as the page words it */
  error: string | null;
}

/** An import's buttons once its rows are checked: confirm (after a question), the rejected rows, discard. */
export function ImportActions({ confirm, rejected, discard, error }: ImportActionsProps) {
  return (
    <>
      <div className="flex flex-wrap items-end gap-3">
        {confirm && (
          <button
            type="button"
            className={buttonClass}
            disabled={confirm.pending}
            onClick={() => {
              if (window.confirm(confirm.question)) confirm.onConfirm();
            }}
          >
            {confirm.label}
          </button>
        )}
        {rejected && (
          <a className={secondaryButtonClass} href={rejected.href} download>
            {rejected.label}
          </a>
        )}
        {discard && (
          <button type="button" className={dangerButtonClass} disabled={discard.pending} onClick={discard.onDiscard}>
            {discard.label}
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {error}
        </p>
      )}
    </>
  );
}

export interface UploadFormProps {
  /** the workspaces the caller may import into: a choice when more than one */
  workspaces: { id: number; name: string }[];
  workspaceId: number | null;
  onWorkspace: (id: number) => void;
  workspaceLabel: string;
  /** the file input's id and name */
  fileId: string;
  fileLabel: string;
  accept: string;
  pending: boolean;
  uploadLabel: string;
  uploadingLabel: string;
  error: string | null | undefined;
  /** the chosen file, with the form's other fields (`children`) */
  onUpload: (file: File, fields: HTMLFormControlsCollection) => void;
  children?: ReactNode;
}

/** An import's upload: the workspace (when there is a choice), the file, the import's own fields. */
export function UploadForm(props: UploadFormProps) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = event.currentTarget.elements;
    const file = (fields.namedItem(props.fileId) as HTMLInputElement).files?.[0];
    if (file) props.onUpload(file, fields);
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-4 rounded-lg bg-white p-4 shadow-sm">
      {props.workspaces.length > 1 && (
        <SelectField
          id="import-workspace"
          label={props.workspaceLabel}
          value={props.workspaceId ?? ""}
          onChange={(e) => props.onWorkspace(Number(e.target.value))}
        >
          {props.workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </SelectField>
      )}
      <div className="flex min-w-0 flex-col text-sm">
        <label htmlFor={props.fileId} className="mb-1 text-slate-700">
          {props.fileLabel}
        </label>
        <input id={props.fileId} name={props.fileId} type="file" accept={props.accept} required className="max-w-full text-base" />
      </div>
      {props.children}
      <SubmitButton className={buttonClass} disabled={props.pending}>
        {props.pending ? props.uploadingLabel : props.uploadLabel}
      </SubmitButton>
      {props.error && (
        <p role="alert" className="w-full rounded bg-red-50 p-3 text-red-800">
          {props.error}
        </p>
      )}
    </form>
  );
}
