import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

const controlClass =
  "rounded border border-slate-300 px-3 py-2 text-base focus:outline-2 focus:outline-brand-600 aria-[invalid=true]:border-red-600";

/**
 * The label above a control and its error underneath, wired for screen readers. min-w-0: in a
 * grid or flex row it may be narrower than its control's content (a select whose option is
 * longer than a phone is wide), which then keeps to its width.
 */
function Labelled({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col text-sm">
      <label htmlFor={id} className="mb-1 text-slate-700">
        {label}
      </label>
      {children}
      {error && (
        <span id={`${id}-error`} role="alert" className="mt-1 text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}

/** What a control says of its error: invalid, and described by the message under it. */
const errorAttributes = (id: string, error?: string) => ({
  "aria-invalid": error ? true : undefined,
  "aria-describedby": error ? `${id}-error` : undefined,
});

/** A labelled input with its error underneath. */
export function Field({
  label,
  error,
  id,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; id: string }) {
  return (
    <Labelled id={id} label={label} error={error}>
      <input id={id} {...errorAttributes(id, error)} className={controlClass} {...input} />
    </Labelled>
  );
}

/** A labelled select styled like Field, with its error underneath. */
export function SelectField({
  label,
  error,
  id,
  children,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string; id: string }) {
  return (
    <Labelled id={id} label={label} error={error}>
      <select id={id} {...errorAttributes(id, error)} className={`${controlClass} max-w-full bg-white`} {...select}>
        {children}
      </select>
    </Labelled>
  );
}

export const buttonClass =
  "rounded bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 focus:outline-2 focus:outline-offset-2 focus:outline-brand-600 disabled:opacity-60";
export const secondaryButtonClass =
  "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus:outline-2 focus:outline-brand-600";
export const dangerButtonClass =
  "rounded border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 focus:outline-2 focus:outline-red-600";
