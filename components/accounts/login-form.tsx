"use client";

import { useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { buttonClass, Field } from "../ui/field";
import { useApiError } from "../ui/errors";
import { SubmitButton } from "../ui/submit-button";
import { useRequestCode, useVerifyCode } from "./queries";

/** Only same-site paths: never send a person to another site after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function LoginForm() {
  const t = useTranslations("accounts.login");
  const next = safeNext(useSearchParams().get("next"));
  const [phone, setPhone] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const requestCode = useRequestCode();
  const verify = useVerifyCode();
  const requestError = useApiError(requestCode.error, ["phone"]);
  const verifyError = useApiError(verify.error, ["token"]);

  const sendCode = (e: FormEvent) => {
    e.preventDefault();
    requestCode.mutate(phone, {
      onSuccess: (result) => {
        setSentTo(result.phone);
        setCode("");
        verify.reset();
      },
    });
  };
  const signIn = (e: FormEvent) => {
    e.preventDefault();
    if (!sentTo) return;
    // A full load, not a client-side push: pages prefetched while signed out hold redirects to
    // /login in the router cache, and the query cache belongs to nobody yet.
    verify.mutate({ phone: sentTo, token: code }, { onSuccess: () => window.location.assign(next) });
  };

  return (
    <section aria-labelledby="login-heading" className="mx-auto mt-10 max-w-sm rounded-lg bg-white p-6 shadow-sm">
      <h1 id="login-heading" className="mb-4 text-xl font-semibold">
        {t("title")}
      </h1>
      {!sentTo ? (
        <form onSubmit={sendCode} className="space-y-4" noValidate>
          <Field
            id="phone"
            label={t("phone")}
            type="tel"
            autoComplete="tel"
            placeholder="+7 999 123-45-67"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            error={requestError.fields.phone ?? requestError.form}
            required
          />
          <SubmitButton className={`${buttonClass} w-full`} disabled={requestCode.isPending || !phone.trim() || !!requestError.secondsLeft}>
            {t("getCode")}
          </SubmitButton>
        </form>
      ) : (
        <form onSubmit={signIn} className="space-y-4" noValidate>
          <p className="text-sm text-slate-700" role="status">
            {t("codeSent", { phone: sentTo })}
          </p>
          <Field
            id="code"
            label={t("code")}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ""))}
            error={verifyError.fields.token ?? verifyError.form}
            autoFocus
            required
          />
          <SubmitButton className={`${buttonClass} w-full`} disabled={verify.isPending || code.length !== 6 || !!verifyError.secondsLeft}>
            {t("signIn")}
          </SubmitButton>
          <button
            type="button"
            className="w-full text-sm text-brand-700 underline"
            onClick={() => {
              setSentTo(null);
              verify.reset();
            }}
          >
            {t("other")}
          </button>
        </form>
      )}
    </section>
  );
}
