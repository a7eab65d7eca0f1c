import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/accounts/site-nav";
import { HydrationMark } from "@/components/ui/hydration-mark";
import "./globals.css";
import { Providers } from "./providers";
import { pageResident } from "./_lib/resident";

export const metadata: Metadata = {
  title: "Kvartplata",
  description: "Register, meter readings, tariffs and exact monthly rent bills for housing managers",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const { resident } = await pageResident();
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>
          <Providers>
            <header className="border-b border-slate-200 bg-white">
              <SiteHeader resident={resident} />
            </header>
            <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
            <HydrationMark />
          </Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
