"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useWorkspaces } from "../accounts/queries";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useDateLabels } from "../ui/dates";
import { useApiError, useErrorTexts } from "../ui/errors";
import { buttonClass, dangerButtonClass, SelectField, secondaryButtonClass } from "../ui/field";
import { useChangeMember, useMembers } from "./queries";
import { MEMBER_ROLES, type MemberRole } from "@/lib/constants";
import type { Member } from "@/lib/schemas/responses";

const card = "rounded-lg bg-white p-4 shadow-sm space-y-3";

/** The workspace's members and the activations of the owner's invite code awaiting a decision. */
export function MembersView({ workspaceId }: { workspaceId: number }) {
  const t = useTranslations("members");
  const common = useTranslations("common");
  const settings = useTranslations("settings");
  const errors = useErrorTexts();
  const members = useMembers(workspaceId);
  const workspace = useWorkspaces().data?.items.find((w) => w.id === workspaceId);
  const items = members.data?.items ?? [];
  const pending = items.filter((m) => m.status === "pending");
  const others = items.filter((m) => m.status !== "pending");
  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: common("crumbs.profile"), href: "/profile" }, { label: t("title") }]} />
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          {workspace && <p className="text-slate-600">{workspace.name}</p>}
        </div>
        <div className="flex flex-wrap gap-x-4">
          <Link prefetch={false} href={`/workspaces/${workspaceId}/billing-settings`} className="text-sm text-brand-700 hover:underline">
            {settings("link")}
          </Link>
          <Link prefetch={false} href={`/workspaces/${workspaceId}/requisites`} className="text-sm text-brand-700 hover:underline">
            {settings("requisites.link")}
          </Link>
        </div>
      </div>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      {members.isPending && <p role="status">…</p>}
      {members.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {errors.message(members.error)}
        </p>
      )}
      {members.isSuccess && (
        <>
          <section aria-labelledby="pending-heading" className="space-y-3">
            <h2 id="pending-heading" className="text-lg font-semibold">
              {t("pendingTitle")}
            </h2>
            {pending.length === 0 ? (
              <p className="text-sm text-slate-600">{t("nonePending")}</p>
            ) : (
              <ul aria-labelledby="pending-heading" className="space-y-3">
                {pending.map((m) => (
                  <MemberCard key={m.person_id} workspaceId={workspaceId} member={m} />
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="members-heading" className="space-y-3">
            <h2 id="members-heading" className="text-lg font-semibold">
              {t("membersTitle")}
            </h2>
            <ul aria-labelledby="members-heading" className="space-y-3">
              {others.map((m) => (
                <MemberCard key={m.person_id} workspaceId={workspaceId} member={m} />
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}

function RoleOptions() {
  const t = useTranslations("members.roles");
  return MEMBER_ROLES.map((role) => (
    <option key={role} value={role}>
      {t(role)}
    </option>
  ));
}

function MemberCard({ workspaceId, member: m }: { workspaceId: number; member: Member }) {
  const t = useTranslations("members");
  const dates = useDateLabels();
  const change = useChangeMember(workspaceId);
  const error = useApiError(change.error);
  // An admission's role: the least by default, the owner raises it deliberately.
  const [admitAs, setAdmitAs] = useState<MemberRole>("viewer");
  const id = `member-${m.person_id}`;
  const busy = change.isPending;
  return (
    <li className={card} aria-label={m.phone}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">{m.phone}</span>
        <span className="text-sm text-slate-600">
          {m.status === "active" ? t(`roles.${m.role}`) : t(`status.${m.status}`)}
          {m.personal && ` · ${t("founder")}`}
        </span>
      </div>
      <p className="text-sm text-slate-600">
        {t(m.status === "active" && !m.decided_at ? "since" : "activated", { date: dates.dateTime(m.joined_at) })}
        {m.decided_at &&
          ` · ${t(m.status === "declined" ? "declinedBy" : "admittedBy", { date: dates.dateTime(m.decided_at), who: m.decided_by ?? "—" })}`}
      </p>
      {m.status !== "active" ? (
        <div className="flex flex-wrap items-end gap-2">
          <SelectField
            id={`${id}-admit-role`}
            label={t("admitRole", { phone: m.phone })}
            value={admitAs}
            onChange={(e) => setAdmitAs(e.target.value as MemberRole)}
          >
            <RoleOptions />
          </SelectField>
          <button
            type="button"
            className={buttonClass}
            disabled={busy}
            onClick={() => change.mutate({ personId: m.person_id, status: "active", role: admitAs })}
          >
            {t("admit")}
          </button>
          {m.status === "pending" ? (
            <button
              type="button"
              className={secondaryButtonClass}
              disabled={busy}
              onClick={() => change.mutate({ personId: m.person_id, status: "declined" })}
            >
              {t("decline")}
            </button>
          ) : (
            <RemoveButton phone={m.phone} disabled={busy} onRemove={() => change.mutate({ personId: m.person_id, remove: true })} />
          )}
        </div>
      ) : (
        <div className="flex flex-wrap items-end gap-2">
          <SelectField
            id={`${id}-role`}
            label={t("role", { phone: m.phone })}
            value={m.role}
            disabled={busy}
            onChange={(e) => change.mutate({ personId: m.person_id, role: e.target.value as MemberRole })}
          >
            <RoleOptions />
          </SelectField>
          <RemoveButton phone={m.phone} disabled={busy} onRemove={() => change.mutate({ personId: m.person_id, remove: true })} />
        </div>
      )}
      {error.form && (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800">
          {error.form}
        </p>
      )}
    </li>
  );
}

function RemoveButton({ phone, disabled, onRemove }: { phone: string; disabled: boolean; onRemove: () => void }) {
  const t = useTranslations("members");
  return (
    <button type="button" className={dangerButtonClass} disabled={disabled} aria-label={t("removeLabel", { phone })} onClick={onRemove}>
      {t("remove")}
    </button>
  );
}
