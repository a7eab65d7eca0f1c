import type { EntryRow, LedgerApartmentRow } from "../../db/queries/ledger";
import { dateToMonth } from "../months";
import { toIso } from "../registry/serialize";
import type { LedgerEntryOut } from "../schemas/ledger";

export function serializeEntry(e: EntryRow): LedgerEntryOut {
  return {
    id: e.id,
    kind: e.kind,
    entry_date: e.entry_date,
    amount: e.amount,
    period: e.period ? dateToMonth(e.period) : null,
    due_date: e.due_date,
    source: e.source,
    external_id: e.external_id,
    payer: e.payer,
    comment: e.comment,
    reason: e.reason,
    invoice_id: e.invoice_id,
    import_id: e.import_id,
    reverses_id: e.reverses_id,
    reversed_by: e.reversed_by,
    created_at: toIso(e.created_at),
  };
}

export const serializeApartment = (a: LedgerApartmentRow) => ({
  id: a.id,
  number: a.number,
  account_number: a.account_number,
  house_id: a.house_id,
  address: a.address,
});
