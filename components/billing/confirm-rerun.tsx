"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { buttonClass, secondaryButtonClass } from "../ui/field";
import { MonthName } from "../ui/month";

/**
 * Asked before billing a month that already has invoices: they will be replaced. The native
 * <dialog> keeps focus inside, closes on Escape and gives focus back to the opening button.
 */
export function ConfirmRerun({
  open,
  period,
  invoices,
  onConfirm,
  onClose,
}: {
  open: boolean;
  period: string;
  invoices: number;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const t = useTranslations("billing.rerun");
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby="rerun-title"
      aria-describedby="rerun-text"
      onClose={() => open && onClose()}
      className="m-auto w-[min(30rem,calc(100vw-2rem))] rounded-lg bg-white p-5 shadow-xl backdrop:bg-slate-900/40"
    >
      <h2 id="rerun-title" className="text-lg font-semibold">
        {t.rich("title", { month: () => <MonthName month={period} /> })}
      </h2>
      <div id="rerun-text" className="mt-2 space-y-2 text-slate-700">
        <p>{t.rich("text", { month: () => <MonthName month={period} />, count: invoices })}</p>
        <p>{t("keep")}</p>
      </div>
      <div className="mt-5 flex flex-wrap justify-end gap-3">
        <button type="button" className={secondaryButtonClass} onClick={onClose} autoFocus>
          {t("cancel")}
        </button>
        <button type="button" className={buttonClass} onClick={onConfirm}>
          {t("confirm")}
        </button>
      </div>
    </dialog>
  );
}
