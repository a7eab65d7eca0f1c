import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";
import { SiteNav } from "@/components/accounts/site-nav";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "Kvartplata",
  description: "Register, meter readings, tariffs and exact monthly rent bills for housing managers",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="ru">
      <body>
        <Providers>
          <header className="border-b border-slate-200 bg-white">
            <div className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3">
              <Link href="/" className="text-lg font-semibold text-brand-700">
                Kvartplata
              </Link>
              <SiteNav />
            </div>
          </header>
          <main className="mx-auto max-w-5xl px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
