"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { Fragment } from "react";

export interface Crumb {
  label: string;
  /** none for the page itself (the last crumb) */
  href?: string;
}

/** Where this page is: "Дома › ул. Лесная, д. 12 › Показания". The last crumb is the page itself. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  const t = useTranslations("common");
  return (
    <nav aria-label={t("breadcrumbs")} className="text-sm">
      <ol className="flex flex-wrap items-center gap-x-1.5 gap-y-1 text-slate-600">
        {items.map((item, i) => (
          <Fragment key={`${i}-${item.label}`}>
            {i > 0 && (
              <li aria-hidden="true" className="text-slate-400">
                ›
              </li>
            )}
            <li className="min-w-0 break-words">
              {item.href && i < items.length - 1 ? (
                <Link prefetch={false} href={item.href} className="text-brand-700 hover:underline">
                  {item.label}
                </Link>
              ) : (
                <span aria-current="page" className="text-slate-700">
                  {item.label}
                </span>
              )}
            </li>
          </Fragment>
        ))}
      </ol>
    </nav>
  );
}
