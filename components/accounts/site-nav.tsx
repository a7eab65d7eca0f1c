"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useLogout } from "./queries";

export function SiteNav() {
  const t = useTranslations("common.nav");
  const pathname = usePathname();
  const logout = useLogout();
  if (pathname === "/login") return <div className="flex-1" />;
  const link = (href: string, label: string) => (
    <Link
      href={href}
      aria-current={pathname === href || (href !== "/" && pathname.startsWith(`${href}/`)) ? "page" : undefined}
      className="text-slate-700 hover:text-brand-700 aria-[current=page]:font-semibold"
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label={t("menu")} className="flex flex-1 flex-wrap items-center gap-x-5 gap-y-2">
      {link("/houses", t("houses"))}
      {link("/tariffs", t("tariffs"))}
      {link("/profile", t("profile"))}
      <button
        type="button"
        data-leaves-page
        className="ml-auto text-slate-700 hover:text-brand-700"
        // A full load, not the router: the next person must not see this one's cached data.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        onClick={() => logout.mutate(undefined, { onSettled: () => window.location.assign("/login") })}
      >
        {t("signOut")}
      </button>
    </nav>
  );
}
