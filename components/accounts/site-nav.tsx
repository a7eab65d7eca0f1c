"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useLogout } from "./queries";

export function SiteNav() {
  const pathname = usePathname();
  const logout = useLogout();
  if (pathname === "/login") return null;
  const link = (href: string, label: string) => (
    <Link href={href} aria-current={pathname === href ? "page" : undefined} className="text-slate-700 hover:text-brand-700 aria-[current=page]:font-semibold">
      {label}
    </Link>
  );
  return (
    <nav aria-label="Основное меню" className="flex flex-1 items-center gap-5">
      {link("/", "Дома")}
      {link("/profile", "Профиль")}
      <button
        type="button"
        className="ml-auto text-slate-700 hover:text-brand-700"
        onClick={() => logout.mutate(undefined, { onSettled: () => window.location.assign("/login") })}
      >
        Выйти
      </button>
    </nav>
  );
}
