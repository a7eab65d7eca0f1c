import { READING_IMPORT_FIELDS, type ReadingImportField } from "../constants";
import type * as mapping from "../file-import/mapping";

// Which column of a readings file holds what (lib/file-import/mapping.ts does the work).

/** field → header text, as the workspace remembers it */
export type RememberedMapping = mapping.RememberedMapping<ReadingImportField>;

/** What an import keeps as its mapping (reading_import.mapping): the columns, and the house apartment numbers are in. */
export interface StoredMapping {
  /** field → 0-based column index */
  columns: mapping.ColumnMapping<ReadingImportField>;
  house_id: number | null;
}

export const READING_MAPPING: mapping.MappingRules<ReadingImportField> = {
  fields: READING_IMPORT_FIELDS,
  required: ["value"],
  // What a header may say for each field, in the order tried (a whole-word prefix match first).
  guesses: {
    serial_number: [
      /^(заводской номер|зав номер|номер счетчика|серийный номер|счетчик|прибор учета|serial|serial number|meter|meter serial)(\s|$)/,
      /заводск|серийн|serial/,
    ],
    account_number: [/^(лс|л с|лиц\S* сч\S*|лицевой|account|account number|personal account)(\s|$)/, /лиц\S* сч|account/],
    apartment_number: [/^(квартира|кв|номер квартиры|помещение|apartment|apt|flat)(\s|$)/],
    service: [/^(услуга|ресурс|вид|тип|service|resource|type)(\s|$)/],
    value: [/^(показание|показания|значение|reading|value)(\s|$)/, /показан|reading/],
    period: [/^(период|месяц|дата|period|month|date)(\s|$)/],
  },
};
