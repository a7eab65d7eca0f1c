"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { LanguageSwitch } from "../ui/language-switch";
import { useLogout } from "./queries";

/**
 * The header: the app's name, the main menu, the language and signing out. On a phone the menu
 * folds behind one button, so the header stays one row instead of wrapping into three.
 * `resident`: the person's phone is on some apartment (issue 18): a link to their apartments.
 */
export function SiteHeader({ resident }: { resident: boolean }) {
  const t = useTranslations("common.nav");
  const residents = useTranslations("residents");
  const pathname = usePathname();
  const logout = useLogout();
  const [open, setOpen] = useState(false);
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    // A link was followed: the folded menu closes with the page it was opened on.
    setShownFor(pathname);
    setOpen(false);
  }
  const signedOut = pathname === "/login";
  // No link of the app prefetches: every page is rendered per request and has no loading
  // boundary, so Next's prefetch fetched only a route tree and the layouts (two requests per
  // link on every page load, each cut off once read) — nothing that made a navigation sooner.
  /** `section`: the pages the link stands for, when they are not under `href` (the home page's months) */
  const link = (href: string, label: string, section = href) => (
    <Link
      prefetch={false}
      href={href}
      aria-current={pathname === href || (section !== "/" && pathname.startsWith(`${section}/`)) ? "page" : undefined}
      className="block py-2 text-slate-700 hover:text-brand-700 aria-[current=page]:font-semibold sm:inline sm:py-0"
    >
      {label}
    </Link>
  );
  return (
    <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 px-4 py-3">
      <Link href="/" prefetch={false} className="text-lg font-semibold text-brand-700">
        Kvartplata
      </Link>
      {signedOut ? (
        <div className="ml-auto">
          <LanguageSwitch />
        </div>
      ) : (
        <>
          <button
            type="button"
            className="ml-auto rounded border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 focus:outline-2 focus:outline-brand-600 sm:hidden"
            aria-expanded={open}
            aria-controls="site-menu"
            onClick={() => setOpen((o) => !o)}
          >
            {t("toggle")}
          </button>
          <div
            id="site-menu"
            className={`${open ? "flex" : "hidden"} w-full flex-col gap-1 border-t border-slate-200 pt-2 mt-3 sm:mt-0 sm:flex sm:w-auto sm:flex-1 sm:flex-row sm:items-center sm:gap-x-5 sm:border-0 sm:pt-0`}
          >
            <nav aria-label={t("menu")} className="flex flex-col sm:flex-row sm:items-center sm:gap-x-5">
              {resident && link("/my", residents("nav"))}
              {link("/", t("month"), "/months")}
              {link("/houses", t("houses"))}
              {link("/tariffs", t("tariffs"))}
              {link("/payments", t("payments"))}
              {link("/history", t("history"))}
              {link("/profile", t("profile"))}
            </nav>
            <div className="flex items-center justify-between gap-4 py-2 sm:ml-auto sm:py-0">
              <LanguageSwitch />
              <button
                type="button"
                data-leaves-page
                className="text-slate-700 hover:text-brand-700"
                // A full load, not the router: the next person must not see this one's cached data.
                // eslint-disable-next-line @next/next/no-location-assign-relative-destination
                onClick={() => logout.mutate(undefined, { onSettled: () => window.location.assign("/login") })}
              >
                {t("signOut")}
              </button>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
