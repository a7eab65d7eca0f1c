"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useErrorTexts } from "../ui/errors";
import { ApartmentHeading, Balance } from "./my-apartment";
import { useMyApartments } from "./queries";

/** The apartments of the signed-in person's phone, in every management company (issue 18). */
export function MyApartmentsView() {
  const t = useTranslations("residents");
  const errors = useErrorTexts();
  const list = useMyApartments();
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1 className="text-2xl font-semibold">{t("listTitle")}</h1>
      {list.isPending && <p role="status">{t("loading")}</p>}
      {list.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {t("loadFailed", { message: errors.message(list.error) })}
        </p>
      )}
      {list.data?.items.length === 0 && <p className="rounded-lg bg-white p-4 shadow-sm">{t("none")}</p>}
      <ul className="space-y-3">
        {list.data?.items.map((a) => (
          <li key={a.id}>
            <Link
              prefetch={false}
              href={`/my/apartments/${a.id}`}
              className="block space-y-2 rounded-lg bg-white p-4 shadow-sm hover:ring-2 hover:ring-brand-600"
            >
              <ApartmentHeading apartment={a} level="h2" />
              <Balance apartment={a} />
              <p className="text-sm text-slate-700">
                {t(a.window.open ? "window.open" : "window.closed", { from: a.window.from, to: a.window.to })}
              </p>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
