import { z } from "zod";
import { withReason } from "../api/field-reasons";
import { HISTORY_ENTITIES } from "../constants";
import { idParam, isoDate, pagination, text } from "./common";

// The history's query strings (GET /api/history, GET /api/apartments/{id}/history).

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `from` / `to`: a calendar day "YYYY-MM-DD", read in the app's time zone (APP_TIMEZONE) and
 * including the whole day, or an instant with its offset ("2026-11-27T10:00:00Z"), included.
 */
const bound = (which: "from" | "to") =>
  z
    .string()
    .refine((s) => (DATETIME.test(s) ? !Number.isNaN(Date.parse(s)) : isoDate.safeParse(s).success), {
      message: 'must be a date "YYYY-MM-DD" or a date-time with its offset ("2026-11-27T10:00:00Z")',
      params: withReason("not_date"),
    })
    .transform((s) => (DATETIME.test(s) ? { instant: s } : { date: s }))
    .optional()
    .meta({
      description:
        which === "from"
          ? 'entries at or after: a day "YYYY-MM-DD" (from its start, in the app\'s time zone) or an instant with its offset'
          : 'entries at or before: a day "YYYY-MM-DD" (to its end, in the app\'s time zone) or an instant with its offset',
      pattern: `^\\d{4}-\\d{2}-\\d{2}(T.+)?$`,
    });

const CURSOR = /^[1-9]\d{0,14}$/;
const page = {
  before: z
    .string()
    .refine((s) => CURSOR.test(s), { message: "must be an entry id", params: withReason("not_id") })
    .transform(Number)
    .optional()
    .meta({ description: "the cursor: entries older than this entry id (the previous page's next_before)", pattern: CURSOR.source }),
  limit: pagination.limit,
};

export const historyQuery = z.strictObject({
  workspace_id: idParam.optional().meta({ description: "one of the caller's workspaces; default: their own" }),
  person_id: idParam.optional().meta({ description: "written by this person (signed in, not with an API key)" }),
  api_key_id: idParam.optional().meta({ description: "written with this API key" }),
  entity: z.enum(HISTORY_ENTITIES).optional().meta({ description: "what kind of thing changed" }),
  entity_id: text(64).optional().meta({ description: "which one (with `entity`): its id as the entries give it" }),
  house_id: idParam.optional().meta({ description: "what changed in this house (its apartments, meters, readings, prices, months…)" }),
  apartment_id: idParam.optional().meta({ description: "what changed in this apartment (its meters and readings included)" }),
  from: bound("from"),
  to: bound("to"),
  ...page,
});
export type HistoryQuery = z.infer<typeof historyQuery>;

export const apartmentHistoryQuery = z.strictObject(page);
