"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { buttonClass, Field, SelectField, secondaryButtonClass } from "../ui/field";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useApiError, useErrorTexts } from "../ui/errors";
import { SubmitButton } from "../ui/submit-button";
import { parseDevice } from "@/lib/auth/device";
import { MEMBER_ROLES, type MemberRole } from "@/lib/constants";
import type { ApiKeyCreated } from "@/lib/schemas/responses";
import {
  useActivateInvite,
  useApiKeys,
  useCreateApiKey,
  useDeleteApiKey,
  useEndSessions,
  useProfile,
  useSessions,
  useWorkspaces,
} from "./queries";
import { RoleNote, useCanAnywhere } from "./roles";
import { can, ROLES } from "@/lib/auth/roles";

function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useTranslations("accounts.profile");
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={secondaryButtonClass}
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? t("copied") : label}
    </button>
  );
}

const card = "rounded-lg bg-white p-5 shadow-sm space-y-3";

export function ProfileView() {
  const t = useTranslations("accounts.profile");
  const common = useTranslations("common");
  const profile = useProfile();
  const errors = useErrorTexts();
  if (profile.isPending) return <p role="status">…</p>;
  if (profile.isError)
    return (
      <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
        {t("loadFailed", { message: errors.message(profile.error) })}
      </p>
    );
  const me = profile.data;
  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: common("crumbs.profile") }]} />
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <section className={card} aria-labelledby="me-heading">
        <h2 id="me-heading" className="text-lg font-semibold">
          {me.phone}
        </h2>
        <div className="flex flex-wrap items-center gap-3">
          <span className="text-slate-700">{t("yourCode")}</span>
          <code data-testid="invite-code" className="rounded bg-slate-100 px-2 py-1 text-lg tracking-widest">
            {me.invite_code}
          </code>
          <CopyButton text={me.invite_code} label={t("copyCode")} />
        </div>
        <p className="text-sm text-slate-600">{t("codeHint")}</p>
        <div>
          <h3 className="font-medium">{t("joined")}</h3>
          {me.activated_your_code.length === 0 ? (
            <p className="text-sm text-slate-600">{t("nobody")}</p>
          ) : (
            <ul aria-label={t("joined")} className="list-inside list-disc">
              {me.activated_your_code.map((phone) => (
                <li key={phone}>{phone}</li>
              ))}
            </ul>
          )}
          {me.activated_your_code.length > 0 && (
            <Link prefetch={false} href={`/workspaces/${me.workspace_id}/members`} className="text-sm text-brand-700 hover:underline">
              {t("decide")}
            </Link>
          )}
        </div>
      </section>
      <InviteSection activated={me.foreign_invite_code} />
      <WorkspacesSection />
      <SessionsSection />
      <ApiKeysSection />
    </div>
  );
}

function InviteSection({ activated }: { activated: string | null }) {
  const t = useTranslations("accounts.profile");
  const [code, setCode] = useState("");
  const activate = useActivateInvite();
  const error = useApiError(activate.error, ["foreign_invite_code"]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    activate.mutate(code.trim(), { onSuccess: () => setCode("") });
  };
  return (
    <section className={card} aria-labelledby="invite-heading">
      <h2 id="invite-heading" className="text-lg font-semibold">
        {t("colleagueTitle")}
      </h2>
      {activated ? (
        <p>{t("activated", { code: activated })}</p>
      ) : (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
          <Field
            id="foreign-invite-code"
            label={t("colleagueCode")}
            value={code}
            maxLength={6}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            error={error.fields.foreign_invite_code ?? error.form}
          />
          <SubmitButton className={buttonClass} disabled={activate.isPending || code.trim().length !== 6 || !!error.secondsLeft}>
            {t("activate")}
          </SubmitButton>
        </form>
      )}
    </section>
  );
}

function WorkspacesSection() {
  const t = useTranslations("accounts.profile");
  const members = useTranslations("members");
  const settings = useTranslations("settings");
  const workspaces = useWorkspaces({ requests: true });
  const errors = useErrorTexts();
  return (
    <section className={card} aria-labelledby="ws-heading">
      <h2 id="ws-heading" className="text-lg font-semibold">
        {t("workspaces")}
      </h2>
      {workspaces.isSuccess && (
        <ul className="space-y-1">
          {workspaces.data.items.map((w) => (
            <li key={w.id} className="flex flex-wrap items-baseline gap-x-2">
              <span>{w.name}</span>
              <span className="text-sm text-slate-600">
                ({w.status === "active" ? members(`roles.${w.role}`) : t(w.status === "pending" ? "requestPending" : "requestDeclined")})
              </span>
              {w.status === "active" && w.role === "owner" && (
                <Link
                  prefetch={false}
                  href={`/workspaces/${w.id}/members`}
                  className="text-sm text-brand-700 hover:underline"
                  aria-label={members("manageLabel", { name: w.name })}
                >
                  {members("manage")}
                </Link>
              )}
              {w.status === "active" && can(w.role, ROLES.readBilling) && (
                <Link
                  prefetch={false}
                  href={`/workspaces/${w.id}/billing-settings`}
                  className="text-sm text-brand-700 hover:underline"
                  aria-label={settings("linkNamed", { name: w.name })}
                >
                  {settings("link")}
                </Link>
              )}
              {w.status === "active" && can(w.role, ROLES.readBilling) && (
                <Link
                  prefetch={false}
                  href={`/workspaces/${w.id}/requisites`}
                  className="text-sm text-brand-700 hover:underline"
                  aria-label={settings("requisites.linkNamed", { name: w.name })}
                >
                  {settings("requisites.link")}
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
      {workspaces.isError && <p role="alert">{errors.message(workspaces.error)}</p>}
    </section>
  );
}

/** API keys are an owner's: the section is there only for a person who owns a workspace. */
function ApiKeysSection() {
  const t = useTranslations("accounts.profile");
  const owner = useCanAnywhere(ROLES.owner);
  return owner.allowed ? (
    <ApiKeysOfOwner workspaceIds={owner.workspaceIds} />
  ) : (
    <section className={card} aria-labelledby="keys-heading">
      <h2 id="keys-heading" className="text-lg font-semibold">
        {t("keysTitle")}
      </h2>
      {owner.known ? <RoleNote check={owner} what="keys" /> : <p role="status">…</p>}
    </section>
  );
}

function ApiKeysOfOwner({ workspaceIds }: { workspaceIds: number[] }) {
  const t = useTranslations("accounts.profile");
  const workspaces = useWorkspaces();
  const owned = (workspaces.data?.items ?? []).filter((w) => workspaceIds.includes(w.id));
  const [workspaceId, setWorkspaceId] = useState<number>(workspaceIds[0]);
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const remove = useDeleteApiKey();
  const error = useApiError(create.error, ["name"]);
  const format = useFormatter();
  const roles = useTranslations("members.roles");
  const [name, setName] = useState("");
  // What every key could do before keys had roles
  const [role, setRole] = useState<MemberRole>("accountant");
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name, role, ...(owned.length > 1 ? { workspace_id: workspaceId } : {}) },
      { onSuccess: (key) => (setCreated(key), setName("")) },
    );
  };
  return (
    <section className={card} aria-labelledby="keys-heading">
      <h2 id="keys-heading" className="text-lg font-semibold">
        {t("keysTitle")}
      </h2>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
        <Field
          id="api-key-name"
          label={t("keyName")}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error.fields.name ?? error.form}
        />
        <SelectField id="api-key-role" label={t("keyRole")} value={role} onChange={(e) => setRole(e.target.value as MemberRole)}>
          {MEMBER_ROLES.map((r) => (
            <option key={r} value={r}>
              {roles(r)}
            </option>
          ))}
        </SelectField>
        {owned.length > 1 && (
          <SelectField
            id="api-key-workspace"
            label={t("keyWorkspace")}
            value={workspaceId}
            onChange={(e) => setWorkspaceId(Number(e.target.value))}
          >
            {owned.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </SelectField>
        )}
        <SubmitButton className={buttonClass} disabled={create.isPending || !name.trim()}>
          {t("createKey")}
        </SubmitButton>
      </form>
      {created && (
        <div role="status" className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3">
          <p className="text-sm">{t("keyOnce", { name: created.name })}</p>
          <div className="flex flex-wrap items-center gap-2">
            <code data-testid="new-api-key" className="break-all rounded bg-white px-2 py-1 text-sm">
              {created.key}
            </code>
            <CopyButton text={created.key} label={t("copyKey")} />
          </div>
        </div>
      )}
      {keys.isSuccess && keys.data.items.length > 0 && (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-600">
            <tr>
              <th scope="col" className="py-1">
                {t("keyColumns.name")}
              </th>
              <th scope="col" className="py-1">
                {t("keyColumns.role")}
              </th>
              <th scope="col" className="py-1">
                {t("keyColumns.prefix")}
              </th>
              <th scope="col" className="py-1">
                {t("keyColumns.lastUsed")}
              </th>
              <th scope="col" className="py-1">
                <span className="sr-only">{t("keyColumns.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id} className="border-t border-slate-100">
                <td className="py-1">{k.name}</td>
                <td className="py-1">{roles(k.role)}</td>
                <td className="py-1 font-mono">{k.key_prefix}…</td>
                <td className="py-1">
                  {k.last_used_at ? format.dateTime(new Date(k.last_used_at), { dateStyle: "short", timeStyle: "short" }) : t("never")}
                </td>
                <td className="py-1 text-right">
                  <button
                    type="button"
                    className={secondaryButtonClass}
                    aria-label={t("deleteKey", { name: k.name })}
                    onClick={() => remove.mutate(k.id)}
                  >
                    {t("delete")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SessionsSection() {
  const t = useTranslations("accounts.profile.sessions");
  const sessions = useSessions();
  const end = useEndSessions();
  const errors = useErrorTexts();
  const format = useFormatter();
  const deviceName = (userAgent: string | null) => {
    const { browser, os } = parseDevice(userAgent);
    if (browser && os) return t("browserOn", { browser, os });
    return browser ?? os ?? t("unknownDevice");
  };
  const items = sessions.data?.items ?? [];
  const others = items.filter((s) => !s.current).length;
  // Ending this session signs out: a full load, as logout does, so no cached data outlives it.
  const signedOut = () => {
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign("/login");
  };
  const endOne = (id: number, current: boolean) => end.mutate({ id }, { onSuccess: () => current && signedOut() });
  return (
    <section className={card} aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600">{t("hint")}</p>
      {sessions.isError && <p role="alert">{errors.message(sessions.error)}</p>}
      {end.isError && (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800">
          {errors.message(end.error)}
        </p>
      )}
      {sessions.isSuccess && (
        <ul aria-label={t("title")} className="divide-y divide-slate-100">
          {items.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <div className="min-w-0">
                <p className="font-medium" title={s.device ?? undefined}>
                  {deviceName(s.device)}
                  {s.current && (
                    <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-normal text-emerald-800">
                      {t("thisDevice")}
                    </span>
                  )}
                </p>
                <p className="text-sm text-slate-600">
                  {t("lastSeen", { time: format.dateTime(new Date(s.last_seen), { dateStyle: "short", timeStyle: "short" }) })}
                  {" · "}
                  {t("signedIn", { time: format.dateTime(new Date(s.created_at), { dateStyle: "short" }) })}
                </p>
              </div>
              <button
                type="button"
                className={secondaryButtonClass}
                aria-label={s.current ? t("endCurrentLabel") : t("endLabel", { device: deviceName(s.device) })}
                disabled={end.isPending}
                onClick={() => endOne(s.id, s.current)}
              >
                {s.current ? t("signOut") : t("end")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {others > 0 && (
        <button type="button" className={secondaryButtonClass} disabled={end.isPending} onClick={() => end.mutate("others")}>
          {t("endOthers", { count: others })}
        </button>
      )}
    </section>
  );
}
