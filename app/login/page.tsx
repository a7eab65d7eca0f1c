import { Suspense } from "react";
import { LoginForm } from "@/components/accounts/login-form";

export const metadata = { title: "Вход — Kvartplata" };

export default function LoginPage() {
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
