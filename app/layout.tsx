import type { Metadata } from "next";
import Link from "next/link";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { SiteNav } from "@/components/accounts/site-nav";
import { LanguageSwitch } from "@/components/ui/language-switch";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "Kvartplata",
  description: "Register, meter readings, tariffs and exact monthly rent bills for housing managers",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>
          <Providers>
            <header className="border-b border-slate-200 bg-white">
              <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
                <Link href="/houses" className="text-lg font-semibold text-brand-700">
                  Kvartplata
                </Link>
                <SiteNav />
                <LanguageSwitch />
              </div>
            </header>
            <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
          </Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
