import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { LoginForm } from "@/components/accounts/login-form";

export async function generateMetadata() {
  const t = await getTranslations("accounts.login");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

export default function LoginPage() {
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
