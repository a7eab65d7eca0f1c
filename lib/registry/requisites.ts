import type { DbOrTx } from "../../db/client";
import * as queries from "../../db/queries/requisites";
import type { RequisitesRow } from "../../db/queries/requisites";
import { ApiError, fieldError, notFound, type FieldErrors } from "../api/errors";
import { requireWorkspace, type Scope } from "../auth/scope";
import { correspondentAccountValid, isIndividualInn, settlementAccountValid } from "../receipts/requisites";
import type { UpdateRequisitesBody } from "../schemas/registry";
import type { RequisiteField } from "../constants";
import type { Requisites } from "../schemas/responses";

// The requisites of the organisation a workspace bills as (issue 17): who the payment documents
// and their QR codes name as the payee. The form of each field and the INN's check digits are
// the body's schema (lib/schemas/registry.ts); the accounts' keys depend on the BIC, which may be
// the one stored, so they are checked here against the requisites as they would be after the
// change. Their changes are history through the workspace's trigger (drizzle/0015_roles-history.sql).

export type { RequisitesRow };

const FIELD_COLUMNS = {
  org_name: "orgName",
  inn: "inn",
  kpp: "kpp",
  org_address: "orgAddress",
  org_phone: "orgPhone",
  org_email: "orgEmail",
  org_site: "orgSite",
  settlement_account: "settlementAccount",
  bank_name: "bankName",
  bic: "bic",
  correspondent_account: "correspondentAccount",
} as const satisfies Record<RequisiteField, keyof RequisitesRow>;

/** What a payment QR code needs (ГОСТ Р 56042-2014: Name, PersonalAcc, BankName, BIC, CorrespAcc, PayeeINN, KPP). */
const NEEDED_FOR_QR = ["org_name", "inn", "settlement_account", "bank_name", "bic", "correspondent_account"] as const;

/** The fields a payment QR code needs that are not given: the KPP too when the INN is an organisation's. */
export function missingRequisites(row: RequisitesRow): RequisiteField[] {
  const needed: RequisiteField[] = [...NEEDED_FOR_QR];
  if (!isIndividualInn(row.inn)) needed.splice(2, 0, "kpp");
  return needed.filter((field) => row[FIELD_COLUMNS[field]] === "");
}

/**
 * The workspace's requisites as stored, for the receipt code: undefined when there is no such
 * workspace. The caller has checked the workspace is one it may read.
 */
export async function getRequisites(db: DbOrTx, workspaceId: number): Promise<RequisitesRow | undefined> {
  return queries.getRequisites(db, workspaceId);
}

export async function readRequisites(db: DbOrTx, scope: Scope, workspaceId: number): Promise<Requisites> {
  const id = requireWorkspace(scope, workspaceId);
  const row = await queries.getRequisites(db, id);
  if (!row) throw notFound("workspace", workspaceId);
  return serialize(row);
}

/**
 * Changes the fields sent ("" clears one). The accounts' keys are checked against the BIC after
 * the change; a wrong one is a 422 naming the field that was sent (the account, or the BIC when
 * only it was), and nothing is written.
 */
export async function updateRequisites(db: DbOrTx, scope: Scope, workspaceId: number, body: UpdateRequisitesBody): Promise<Requisites> {
  const id = requireWorkspace(scope, workspaceId);
  const current = await queries.getRequisites(db, id, true);
  if (!current) throw notFound("workspace", workspaceId);
  const changes: Partial<RequisitesRow> = {};
  for (const [field, column] of Object.entries(FIELD_COLUMNS) as [RequisiteField, keyof RequisitesRow][]) {
    const value = body[field];
    if (value !== undefined) changes[column] = value;
  }
  const after = { ...current, ...changes };
  const fields: FieldErrors = {};
  const blame = (account: "settlement_account" | "correspondent_account") => (body[account] !== undefined ? account : "bic");
  if (after.settlementAccount && after.bic && !settlementAccountValid(after.settlementAccount, after.bic)) {
    fields[blame("settlement_account")] = fieldError("account_check_digit", "the settlement account's key does not match the BIC", {
      bic: after.bic,
    });
  }
  if (after.correspondentAccount && after.bic && !correspondentAccountValid(after.correspondentAccount, after.bic)) {
    const field = blame("correspondent_account");
    fields[field] ??= fieldError("account_check_digit", "the correspondent account's key does not match the BIC", { bic: after.bic });
  }
  if (Object.keys(fields).length > 0) {
    throw new ApiError({ reason: "invalid_input", message: `invalid ${Object.keys(fields).join(", ")}; nothing was written`, fields });
  }
  await queries.setRequisites(db, id, changes);
  return serialize(after);
}

function serialize(row: RequisitesRow): Requisites {
  const missing = missingRequisites(row);
  return {
    org_name: row.orgName,
    inn: row.inn,
    kpp: row.kpp,
    org_address: row.orgAddress,
    org_phone: row.orgPhone,
    org_email: row.orgEmail,
    org_site: row.orgSite,
    settlement_account: row.settlementAccount,
    bank_name: row.bankName,
    bic: row.bic,
    correspondent_account: row.correspondentAccount,
    complete: missing.length === 0,
    missing,
  };
}
