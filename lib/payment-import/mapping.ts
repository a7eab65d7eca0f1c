import { PAYMENT_IMPORT_FIELDS, type PaymentImportField } from "../constants";
import * as mapping from "../file-import/mapping";

// Which column of a bank's registry holds what (lib/file-import/mapping.ts does the work).

/** field → 0-based column index */
export type ColumnMapping = mapping.ColumnMapping<PaymentImportField>;
/** field → header text, as the workspace remembers it */
export type RememberedMapping = mapping.RememberedMapping<PaymentImportField>;

export const PAYMENT_MAPPING: mapping.MappingRules<PaymentImportField> = {
  fields: PAYMENT_IMPORT_FIELDS,
  required: ["account_number", "paid_on", "amount"],
  // What a header may say for each field, in the order tried (a whole-word prefix match).
  guesses: {
    account_number: [/^(лс|л с|лиц\S* сч\S*|лицевой|account|acc|account number|personal account)(\s|$)/, /лиц\S* сч|account/],
    paid_on: [/^(дата|date|paid on|payment date)(\s|$)/, /дата|date/],
    amount: [/^(сумма|amount|sum|total)(\s|$)/, /сумма|amount/],
    external_id: [/^(идентификатор|ид|id|номер|uid|external id|payment id|transaction id|n)(\s|$)/, /идентификатор|id$/],
    payer: [/^(плательщик|фио|ф и о|payer|name|full name)(\s|$)/],
    period: [/^(период|месяц|за период|period|month)(\s|$)/],
  },
};

export const guessMapping = (header: string[]): ColumnMapping => mapping.guessMapping(header, PAYMENT_MAPPING);
