import { Dec } from "../money";

// The payment string of ГОСТ Р 56042-2014 «Стандарты финансовых операций. Двумерные символы
// штрихового кода для осуществления платежей физических лиц», the one every Russian banking app
// reads from a QR code: "ST00012" (format ST, version 0001, character set 2 = UTF-8), then
// `Key=Value` pairs separated by `|` (п. 5.2). Table 1 of the standard lists the required
// requisites in this order: Name (up to 160 characters), PersonalAcc (20), BankName (up to 45),
// BIC (9), CorrespAcc (up to 20); table 2 the additional ones: Sum (kopecks, digits, up to 18),
// Purpose (up to 210), PayeeINN (up to 12), KPP (up to 9), …; table 3 the other ones (LastName,
// FirstName, MiddleName, PayerAddress, PersAcc, PaymPeriod, TechCode …) with no lengths.
// Where found: the standard's text is not in the searchable library; the field names, the
// required order, the limits of Name/BankName/BIC/Sum/PayeeINN/KPP and the TechCode list
// (02 = «ЖКУ») were checked against QRCoder's implementation of it (codebude/QRCoder,
// QRCoder/PayloadGenerator/RussiaPaymentOrder.cs, which cites docs.cntd.ru/document/1200110981
// and sbqr.ru/standard/files/standart.pdf). QRCoder checks Purpose against 160; the standard's
// table 2 gives 210, which we follow.

/** Fields of the string, in the order they are written. */
export const QR_FIELDS = [
  "Name",
  "PersonalAcc",
  "BankName",
  "BIC",
  "CorrespAcc",
  "PayeeINN",
  "KPP",
  "Sum",
  "Purpose",
  "PersAcc",
  "PayerAddress",
  "PaymPeriod",
  "LastName",
  "FirstName",
  "MiddleName",
  "TechCode",
] as const;
export type QrField = (typeof QR_FIELDS)[number];

/** A value that cannot go into the string as it is: an identifier of the wrong shape, a sum
 *  with more than two decimals, a required text that is empty. Never fixed silently. */
export class QrPayloadError extends Error {
  constructor(
    readonly field: QrField,
    readonly reason: "format" | "required" | "sum_scale" | "sum_too_large",
    value: string,
  ) {
    super(`QR payment string: ${field} ${reason === "required" ? "is empty" : `${JSON.stringify(value)}: ${reason}`}`);
    this.name = "QrPayloadError";
  }
}

export interface QrPayloadInput {
  /** the payee: the organisation's name */
  name: string;
  /** the payee's settlement account, 20 digits */
  personalAcc: string;
  bankName: string;
  /** 9 digits */
  bic: string;
  /** the bank's correspondent account, 20 digits */
  correspAcc: string;
  /** 10 or 12 digits; '' leaves it out */
  payeeInn?: string;
  /** ^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$; '' leaves it out (an individual entrepreneur has none) */
  kpp?: string;
  /** roubles, a decimal string ("1234.50"; "1234.5000" too, but not "1234.501"); zero or less leaves it out */
  sum?: string;
  purpose?: string;
  /** the apartment's account number (лицевой счёт) */
  persAcc?: string;
  payerAddress?: string;
  /** the month paid for, YYYY-MM as everywhere in the app; written MMYYYY */
  period?: string;
  lastName?: string;
  firstName?: string;
  middleName?: string;
}

// Characters, counted as Unicode code points. Name, BankName and Purpose: the standard's
// limits; the table 3 fields have none in the standard, these keep the code readable.
const MAX_LENGTH = {
  Name: 160,
  BankName: 45,
  Purpose: 210,
  PayerAddress: 210,
  LastName: 60,
  FirstName: 60,
  MiddleName: 60,
} as const;

const FORMAT = {
  PersonalAcc: /^[0-9]{20}$/,
  BIC: /^[0-9]{9}$/,
  CorrespAcc: /^[0-9]{20}$/,
  PayeeINN: /^(?:[0-9]{10}|[0-9]{12})$/,
  KPP: /^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$/,
  // Imported account numbers are not always digits ("12-345/А"): letters, digits and - / .
  PersAcc: /^[0-9A-Za-zА-Яа-яЁё./-]{1,20}$/,
} as const;

/** What replaces `|`, the string's separator, inside a text value. The standard (п. 5.2.1)
 *  allows choosing another separator, but banking apps in practice read only `|`; a slash is
 *  plain ASCII that every app shows, and reads naturally where a bar was ("А|Б" → "А/Б"). */
const BAR_REPLACEMENT = "/";

/**
 * A free-text value made safe for the string: `|` replaced by {@link BAR_REPLACEMENT}, line
 * breaks, tabs and other control characters (and any run of white space) collapsed to one
 * space, trimmed, then cut to `max` characters — at a code point, never inside a surrogate pair.
 */
export function cleanQrText(value: string, max: number): string {
  const flat = value
    .replaceAll("|", BAR_REPLACEMENT)
    .replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ")
    .trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : chars.slice(0, max).join("").trimEnd();
}

/**
 * Kopecks as the standard wants them (digits only, up to 18) from a decimal string of roubles;
 * undefined for zero or less: nothing is due (an overpayment shows as a negative total), and a
 * "Sum=0" pre-filled in the banking app would only have to be overwritten, so the app asks.
 */
export function sumInKopecks(sum: string): string | undefined {
  if (!/^-?[0-9]+(?:\.[0-9]+)?$/.test(sum)) throw new QrPayloadError("Sum", "format", sum);
  const value = new Dec(sum);
  if (value.decimalPlaces() > 2) throw new QrPayloadError("Sum", "sum_scale", sum);
  if (value.lte(0)) return undefined;
  const kopecks = value.times(100).toFixed(0);
  if (kopecks.length > 18) throw new QrPayloadError("Sum", "sum_too_large", sum);
  return kopecks;
}

/** "2026-11" → "112026" (PaymPeriod, MMYYYY). */
function paymPeriod(month: string): string {
  const m = /^([0-9]{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new QrPayloadError("PaymPeriod", "format", month);
  return `${m[2]}${m[1]}`;
}

function identifier(field: keyof typeof FORMAT, value: string): string {
  if (!FORMAT[field].test(value)) throw new QrPayloadError(field, "format", value);
  return value;
}

/**
 * The ST00012 string (UTF-8) for a payment to the payee: the five required fields first, in
 * the standard's order, then those given (empty ones left out), TechCode=02 (housing and
 * utilities) last. Throws {@link QrPayloadError} for a value that would make a wrong payment.
 */
export function buildQrPayload(input: QrPayloadInput): string {
  const pairs: [QrField, string | undefined][] = [];
  const text = (field: keyof typeof MAX_LENGTH, value: string | undefined, required = false) => {
    const clean = cleanQrText(value ?? "", MAX_LENGTH[field]);
    if (required && clean === "") throw new QrPayloadError(field, "required", value ?? "");
    pairs.push([field, clean]);
  };
  const optionalId = (field: keyof typeof FORMAT, value: string | undefined) => {
    pairs.push([field, value ? identifier(field, value) : undefined]);
  };

  text("Name", input.name, true);
  pairs.push(["PersonalAcc", identifier("PersonalAcc", input.personalAcc)]);
  text("BankName", input.bankName, true);
  pairs.push(["BIC", identifier("BIC", input.bic)]);
  pairs.push(["CorrespAcc", identifier("CorrespAcc", input.correspAcc)]);
  optionalId("PayeeINN", input.payeeInn);
  optionalId("KPP", input.kpp);
  pairs.push(["Sum", input.sum ? sumInKopecks(input.sum) : undefined]);
  text("Purpose", input.purpose);
  optionalId("PersAcc", input.persAcc);
  text("PayerAddress", input.payerAddress);
  pairs.push(["PaymPeriod", input.period ? paymPeriod(input.period) : undefined]);
  text("LastName", input.lastName);
  text("FirstName", input.firstName);
  text("MiddleName", input.middleName);
  pairs.push(["TechCode", "02"]);

  return ["ST00012", ...pairs.filter(([, v]) => v).map(([k, v]) => `${k}=${v}`)].join("|");
}

export interface PayerName {
  lastName: string;
  firstName: string;
  /** '' when the name has two words */
  middleName: string;
}

// Legal forms that make a two- or three-word name an organisation's, not a person's.
const ORGANISATION = /^(?:ООО|ОАО|ЗАО|АО|ПАО|НАО|ИП|ТСЖ|ТСН|ЖСК|МУП|ГУП|ФГУП|МКУ|ГКУ|УК|АНО|НКО)$/iu;
// A word of a name: letters, possibly joined by a hyphen or an apostrophe (Салтыков-Щедрин, д'Артаньян).
const NAME_WORD = /^\p{L}+(?:['’-]\p{L}+)*$/u;

/**
 * «Фамилия Имя Отчество» (or «Фамилия Имя») split into the standard's LastName, FirstName and
 * MiddleName; null for anything else — initials, one word, four words, an organisation — so
 * the QR code simply leaves them out rather than guessing.
 */
export function splitOwnerName(fullName: string): PayerName | null {
  const words = fullName.trim().split(/\s+/u);
  if (words.length < 2 || words.length > 3) return null;
  if (!words.every((w) => NAME_WORD.test(w) && !ORGANISATION.test(w))) return null;
  return { lastName: words[0], firstName: words[1], middleName: words[2] ?? "" };
}

/** The payment's purpose: «Оплата ЖКУ за 11.2026, л/с 00000042» (month YYYY-MM). */
export function paymentPurpose(month: string, accountNumber: string): string {
  const [year, mm] = month.split("-");
  if (!/^[0-9]{4}$/.test(year ?? "") || !/^(?:0[1-9]|1[0-2])$/.test(mm ?? "")) {
    throw new QrPayloadError("Purpose", "format", month);
  }
  const account = accountNumber.trim();
  return `Оплата ЖКУ за ${mm}.${year}${account ? `, л/с ${account}` : ""}`;
}
