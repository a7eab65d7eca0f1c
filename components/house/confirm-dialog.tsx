"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { buttonClass, dangerButtonClass, secondaryButtonClass } from "../ui/field";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  /** default: the dialog's "Cancel" */
  cancelLabel?: string;
  /** "danger" (default) for a delete, "primary" for a question before an ordinary action */
  tone?: "danger" | "primary";
  pending: boolean;
  /** the server's answer when the action was refused (e.g. 409 for billed data) */
  error?: string;
  onConfirm: () => void;
  onClose: () => void;
  /** more of the question, under the message (a list of what it is about) */
  children?: ReactNode;
}

/**
 * A modal question before a delete. The native <dialog> keeps focus inside, closes on Escape
 * and gives focus back to the button that opened it. A refusal stays in the dialog, where the
 * person is looking.
 */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  cancelLabel,
  tone = "danger",
  pending,
  error,
  onConfirm,
  onClose,
  children,
}: ConfirmDialogProps) {
  const t = useTranslations("house.dialog");
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const messageId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onClose={() => open && onClose()}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg bg-white p-5 shadow-xl backdrop:bg-slate-900/40"
    >
      <h2 id={titleId} className="text-lg font-semibold">
        {title}
      </h2>
      <p id={messageId} className="mt-2 text-slate-700">
        {message}
      </p>
      {children}
      {error && (
        <p role="alert" className="mt-3 rounded bg-red-50 p-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <div className="mt-5 flex flex-wrap justify-end gap-3">
        <button type="button" className={secondaryButtonClass} onClick={onClose} autoFocus>
          {error ? t("close") : (cancelLabel ?? t("cancel"))}
        </button>
        {!error && (
          <button type="button" className={tone === "danger" ? dangerButtonClass : buttonClass} onClick={onConfirm} disabled={pending}>
            {confirmLabel}
          </button>
        )}
      </div>
    </dialog>
  );
}
