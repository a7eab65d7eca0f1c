import { useLayoutEffect, useRef, type ChangeEvent, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

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

/**
 * What a person typed into the server's HTML before React ran the page is their input, taken as
 * typed: a controlled input whose text differs from its value when it mounts hands the text to
 * its onChange (React would otherwise put the rendered value back at the next render, and the
 * form, whose submit button waits for hydration, would be sent without it). The readings sheet
 * does the same for its rows (components/readings/sheet-row.tsx).
 */
function useTypedBeforeHydration(
  value: InputHTMLAttributes<HTMLInputElement>["value"],
  onChange?: (e: ChangeEvent<HTMLInputElement>) => void,
) {
  const ref = useRef<HTMLInputElement | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !onChange || value === undefined || el.value === String(value)) return;
    onChange({ target: el, currentTarget: el } as ChangeEvent<HTMLInputElement>);
    // Once, for the HTML this input was hydrated from (or mounted with).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return ref;
}

/** A labelled input with its error underneath. */
export function Field({
  label,
  error,
  id,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; id: string }) {
  const ref = useTypedBeforeHydration(input.value, input.onChange);
  return (
    <Labelled id={id} label={label} error={error}>
      <input ref={ref} id={id} {...errorAttributes(id, error)} className={controlClass} {...input} />
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
