"use client";

import { useTranslations } from "next-intl";
import { secondaryButtonClass } from "../ui/field";

export const card = "rounded-lg bg-white p-4 shadow-sm";

/** A failed load: the server's message and a way to try again. */
export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  const t = useTranslations("house");
  return (
    <div role="alert" className="flex flex-wrap items-center gap-3 rounded bg-red-50 p-3 text-red-800">
      <span>{message}</span>
      <button type="button" className={secondaryButtonClass} onClick={onRetry}>
        {t("retry")}
      </button>
    </div>
  );
}
