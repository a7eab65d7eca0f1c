"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { buttonClass, dangerButtonClass, Field, secondaryButtonClass, SelectField } from "../ui/field";
import { SubmitButton } from "../ui/submit-button";
import { ConfirmDialog } from "./confirm-dialog";
import { useFocusAfterRender } from "./focus";
import { toCount, toDecimalInput } from "./format";
import { ApiClientError } from "../api";
import { useApiError, useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { BESIDE_FIELDS, formDangerButtonClass, FormError, formSecondaryButtonClass } from "./form";
import { editorId } from "./ids";
import { useDateLabels } from "../ui/dates";
import { METER_SERVICES, type MeterService } from "@/lib/constants";
import type { HouseApartment, HouseMeter } from "@/lib/schemas/responses";
import {
  useArchiveApartment,
  useCreateMeter,
  useDeleteApartment,
  useDeleteMeter,
  useUpdateApartment,
  useUpdateMeter,
  type MeterInput,
} from "./queries";

interface EditorProps {
  houseId: number;
  apartment: HouseApartment;
  onClose: (apartmentId: number, deleted: boolean) => void;
}

type PendingDelete = { kind: "apartment" } | { kind: "meter"; meter: HouseMeter };

/** Everything about one apartment of the list: its number and area, its meters, deleting. */
export function ApartmentEditor({ houseId, apartment, onClose }: EditorProps) {
  const t = useTranslations("house");
  const [pendingDelete, setPendingDelete] = useState<PendingDelete | null>(null);
  const deleteApartment = useDeleteApartment(houseId);
  const deleteMeter = useDeleteMeter(houseId);
  const archive = useArchiveApartment(houseId);
  const deletion = pendingDelete?.kind === "meter" ? deleteMeter : deleteApartment;
  const errors = useErrorTexts();
  // A billed apartment cannot be deleted (its invoices keep it): the question becomes archiving.
  const billed =
    pendingDelete?.kind === "apartment" &&
    deleteApartment.error instanceof ApiClientError &&
    deleteApartment.error.reason === "billed_cannot_delete";

  const closeDialog = () => {
    setPendingDelete(null);
    deleteApartment.reset();
    deleteMeter.reset();
    archive.reset();
  };
  const confirm = () => {
    if (!pendingDelete) return;
    if (billed) {
      archive.mutate(
        { id: apartment.id, archived: true },
        {
          onSuccess: () => {
            setPendingDelete(null);
            onClose(apartment.id, true);
          },
        },
      );
    } else if (pendingDelete.kind === "apartment") {
      deleteApartment.mutate(apartment.id, {
        onSuccess: () => {
          setPendingDelete(null);
          onClose(apartment.id, true);
        },
      });
    } else {
      deleteMeter.mutate({ id: pendingDelete.meter.id, apartmentId: apartment.id }, { onSuccess: () => setPendingDelete(null) });
    }
  };

  const headingId = `${editorId(apartment.id)}-heading`;
  return (
    <div
      id={editorId(apartment.id)}
      role="region"
      aria-labelledby={headingId}
      className="space-y-5 p-4"
      onKeyDown={(e) => {
        if (e.key === "Escape" && !pendingDelete && !e.defaultPrevented) onClose(apartment.id, false);
      }}
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 id={headingId} className="text-lg font-semibold">
          {t("editor.title", { number: apartment.number })}
        </h3>
        <div className="flex flex-wrap gap-3">
          <Link prefetch={false} href={`/apartments/${apartment.id}`} className="self-center text-sm text-brand-700 hover:underline">
            {t("editor.open")}
          </Link>
          <button type="button" className={secondaryButtonClass} onClick={() => onClose(apartment.id, false)}>
            {t("editor.close")}
          </button>
        </div>
      </div>

      <ApartmentForm houseId={houseId} apartment={apartment} onDelete={() => setPendingDelete({ kind: "apartment" })} />

      <div className="space-y-3">
        <h4 className="font-medium">{t("meters.title")}</h4>
        {apartment.meters.length === 0 ? (
          <p className="text-sm text-slate-600">{t("apartments.noMeters")}</p>
        ) : (
          <ul className="space-y-2">
            {apartment.meters.map((meter) => (
              <MeterItem
                key={meter.id}
                houseId={houseId}
                apartmentId={apartment.id}
                meter={meter}
                onDelete={() => setPendingDelete({ kind: "meter", meter })}
              />
            ))}
          </ul>
        )}
        <NewMeterForm houseId={houseId} apartmentId={apartment.id} />
      </div>

      <ConfirmDialog
        open={pendingDelete !== null}
        title={
          billed
            ? t("editor.archiveTitle", { number: apartment.number })
            : pendingDelete?.kind === "meter"
              ? t("meters.deleteTitle", { serial: pendingDelete.meter.serial_number })
              : t("editor.deleteTitle", { number: apartment.number })
        }
        message={
          billed ? t("editor.archiveWarning") : pendingDelete?.kind === "meter" ? t("meters.deleteWarning") : t("editor.deleteWarning")
        }
        confirmLabel={billed ? t("editor.archive") : t("dialog.confirmDelete")}
        tone={billed ? "primary" : "danger"}
        pending={deletion.isPending || archive.isPending}
        error={
          billed ? (archive.error ? errors.message(archive.error) : undefined) : deletion.error ? errors.message(deletion.error) : undefined
        }
        onConfirm={confirm}
        onClose={closeDialog}
      />
    </div>
  );
}

function ApartmentForm({ houseId, apartment, onDelete }: { houseId: number; apartment: HouseApartment; onDelete: () => void }) {
  const t = useTranslations("house");
  const [number, setNumber] = useState(apartment.number);
  const [area, setArea] = useState(apartment.area);
  const [residents, setResidents] = useState(String(apartment.residents));
  const [account, setAccount] = useState(apartment.account_number);
  const [owner, setOwner] = useState(apartment.owner_name);
  const [saved, setSaved] = useState(false);
  const update = useUpdateApartment(houseId);
  const errors = useApiError(update.error, ["number", "area", "residents", "account_number", "owner_name"]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    update.mutate(
      {
        id: apartment.id,
        number: number.trim(),
        area: toDecimalInput(area),
        residents: toCount(residents),
        // unchanged: not sent, so that saving the area never trips over the number
        ...(account.trim() === apartment.account_number ? {} : { account_number: account.trim() }),
        owner_name: owner.trim(),
      },
      { onSuccess: () => setSaved(true) },
    );
  };

  return (
    <form onSubmit={submit} aria-label={t("editor.apartmentForm")} className="flex flex-wrap items-start gap-3" noValidate>
      <div className="w-40">
        <Field
          id="edit-apartment-number"
          label={t("fields.number")}
          value={number}
          maxLength={20}
          autoFocus
          onChange={(e) => (setNumber(e.target.value), setSaved(false), update.reset())}
          error={errors.fields.number}
        />
      </div>
      <div className="w-40">
        <Field
          id="edit-apartment-area"
          label={t("fields.area")}
          inputMode="decimal"
          value={area}
          onChange={(e) => (setArea(e.target.value), setSaved(false), update.reset())}
          error={errors.fields.area}
        />
      </div>
      <div className="w-40">
        <Field
          id="edit-apartment-residents"
          label={t("fields.residents")}
          inputMode="numeric"
          value={residents}
          onChange={(e) => (setResidents(e.target.value), setSaved(false), update.reset())}
          error={errors.fields.residents}
        />
      </div>
      <div className="w-44">
        <Field
          id="edit-apartment-account"
          label={t("fields.accountNumber")}
          value={account}
          maxLength={20}
          onChange={(e) => (setAccount(e.target.value), setSaved(false), update.reset())}
          error={errors.fields.account_number}
        />
      </div>
      <div className="w-full sm:w-72">
        <Field
          id="edit-apartment-owner"
          label={t("fields.ownerName")}
          value={owner}
          maxLength={300}
          autoComplete="off"
          onChange={(e) => (setOwner(e.target.value), setSaved(false), update.reset())}
          error={errors.fields.owner_name}
        />
      </div>
      <SubmitButton className={`${buttonClass} ${BESIDE_FIELDS}`} disabled={update.isPending}>
        {t("editor.save")}
      </SubmitButton>
      <button type="button" className={`${formDangerButtonClass} ${BESIDE_FIELDS}`} onClick={onDelete}>
        {t("editor.delete")}
      </button>
      <FormError message={errors.form} />
      <p role="status" className="w-full text-sm text-green-800 empty:hidden">
        {saved ? t("editor.saved") : ""}
      </p>
    </form>
  );
}

function MeterItem({
  houseId,
  apartmentId,
  meter,
  onDelete,
}: {
  houseId: number;
  apartmentId: number;
  meter: HouseMeter;
  onDelete: () => void;
}) {
  const t = useTranslations("house");
  const common = useTranslations("common");
  const dates = useDateLabels();
  const numbers = useNumbers();
  const [editing, setEditing] = useState(false);
  const update = useUpdateMeter(houseId);
  const editButtonId = `meter-${meter.id}-edit`;
  const focusLater = useFocusAfterRender();
  const stop = () => {
    setEditing(false);
    update.reset();
    focusLater(editButtonId);
  };

  if (editing) {
    return (
      <li className="rounded border border-brand-100 bg-white p-3">
        <MeterForm
          idPrefix="edit-meter"
          formLabel={t("meters.editForm", { serial: meter.serial_number })}
          initial={{
            serial_number: meter.serial_number,
            service: meter.service,
            installed_on: meter.installed_on,
            verified_until: meter.verified_until,
          }}
          submitLabel={t("meters.save")}
          pending={update.isPending}
          error={update.error}
          onSubmit={(input) => update.mutate({ id: meter.id, apartmentId, ...input }, { onSuccess: stop })}
          onCancel={stop}
        />
      </li>
    );
  }
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 rounded border border-slate-200 bg-white px-3 py-2 text-sm">
      <span>
        <span className="font-medium">{common(`services.${meter.service}`)}</span> {t("apartments.serial", { serial: meter.serial_number })}
        {meter.installed_on && <span className="text-slate-600"> · {t("meters.installed", { date: dates.date(meter.installed_on) })}</span>}
        {meter.verified_until && (
          <span className="text-slate-600"> · {t("meters.verified", { date: dates.date(meter.verified_until) })}</span>
        )}
        <span className="text-slate-600">
          {" · "}
          {meter.last_reading
            ? t("meters.lastReading", { value: numbers.reading(meter.last_reading.value), month: dates.month(meter.last_reading.period) })
            : t("apartments.noReading")}
        </span>
      </span>
      <span className="flex gap-2">
        <button
          id={editButtonId}
          type="button"
          className={secondaryButtonClass}
          aria-label={t("meters.editNamed", { serial: meter.serial_number })}
          onClick={() => setEditing(true)}
        >
          {t("meters.edit")}
        </button>
        <button
          type="button"
          className={dangerButtonClass}
          aria-label={t("meters.deleteNamed", { serial: meter.serial_number })}
          onClick={onDelete}
        >
          {t("meters.delete")}
        </button>
      </span>
    </li>
  );
}

function NewMeterForm({ houseId, apartmentId }: { houseId: number; apartmentId: number }) {
  const t = useTranslations("house");
  const create = useCreateMeter(houseId);
  // A new key empties the form after each meter added.
  const [generation, setGeneration] = useState(0);
  const focusLater = useFocusAfterRender();
  return (
    <div className="rounded border border-dashed border-slate-300 bg-white p-3">
      <MeterForm
        key={generation}
        idPrefix="new-meter"
        formLabel={t("meters.newForm")}
        heading={t("meters.newForm")}
        initial={{ serial_number: "", service: "cold_water", installed_on: null, verified_until: null }}
        submitLabel={t("meters.add")}
        pending={create.isPending}
        error={create.error}
        onSubmit={(input) =>
          create.mutate(
            { apartmentId, ...input },
            {
              onSuccess: () => {
                setGeneration((g) => g + 1);
                focusLater("new-meter-serial");
              },
            },
          )
        }
      />
    </div>
  );
}

interface MeterFormProps {
  idPrefix: string;
  formLabel: string;
  heading?: string;
  initial: MeterInput;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: MeterInput) => void;
  onCancel?: () => void;
}

function MeterForm({ idPrefix, formLabel, heading, initial, submitLabel, pending, error, onSubmit, onCancel }: MeterFormProps) {
  const t = useTranslations("house");
  const common = useTranslations("common");
  const [serial, setSerial] = useState(initial.serial_number);
  const [service, setService] = useState<MeterService>(initial.service);
  const [installedOn, setInstalledOn] = useState(initial.installed_on ?? "");
  const [verifiedUntil, setVerifiedUntil] = useState(initial.verified_until ?? "");
  const errors = useApiError(error, ["serial_number", "service", "installed_on", "verified_until"]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ serial_number: serial.trim(), service, installed_on: installedOn || null, verified_until: verifiedUntil || null });
  };

  return (
    <form
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape" && onCancel) {
          e.preventDefault();
          onCancel();
        }
      }}
      aria-label={formLabel}
      className="flex flex-wrap items-start gap-3"
      noValidate
    >
      {heading && <p className="w-full text-sm font-medium">{heading}</p>}
      <div className="w-44">
        <Field
          id={`${idPrefix}-serial`}
          label={t("meters.serialLabel")}
          value={serial}
          maxLength={64}
          autoFocus={!!onCancel}
          onChange={(e) => setSerial(e.target.value)}
          error={errors.fields.serial_number}
        />
      </div>
      <SelectField
        id={`${idPrefix}-service`}
        label={t("meters.service")}
        value={service}
        onChange={(e) => setService(e.target.value as MeterService)}
        error={errors.fields.service}
      >
        {METER_SERVICES.map((s) => (
          <option key={s} value={s}>
            {common(`services.${s}`)}
          </option>
        ))}
      </SelectField>
      <Field
        id={`${idPrefix}-installed`}
        type="date"
        label={t("meters.installedOn")}
        value={installedOn}
        onChange={(e) => setInstalledOn(e.target.value)}
        error={errors.fields.installed_on}
      />
      <Field
        id={`${idPrefix}-verified`}
        type="date"
        label={t("meters.verifiedUntil")}
        value={verifiedUntil}
        onChange={(e) => setVerifiedUntil(e.target.value)}
        error={errors.fields.verified_until}
      />
      <SubmitButton className={`${buttonClass} ${BESIDE_FIELDS}`} disabled={pending}>
        {submitLabel}
      </SubmitButton>
      {onCancel && (
        <button type="button" className={`${formSecondaryButtonClass} ${BESIDE_FIELDS}`} onClick={onCancel}>
          {t("cancel")}
        </button>
      )}
      <FormError message={errors.form} />
    </form>
  );
}
