import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { drawQr } from "../lib/receipts/qr-draw";
import {
  buildQrPayload,
  cleanQrText,
  paymentPurpose,
  QR_FIELDS,
  QrPayloadError,
  splitOwnerName,
  sumInKopecks,
  type QrPayloadInput,
} from "../lib/receipts/qr-payload";
import { decodeQr, pdfText, renderPage } from "./helpers/pdf-read";

// The ST00012 payment string (ГОСТ Р 56042-2014) field by field, and a round trip through a
// real PDF: the text read back and the QR code decoded from the rendered page. No database.

const require = createRequire(import.meta.url);
const FONT = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");

const PAYEE: QrPayloadInput = {
  name: "ООО «УК Ромашка»",
  personalAcc: "40702810938000012345",
  bankName: "ПАО Сбербанк",
  bic: "044525225",
  correspAcc: "30101810400000000225",
};

const FULL: QrPayloadInput = {
  ...PAYEE,
  payeeInn: "7707083893",
  kpp: "773601001",
  sum: "1234.50",
  purpose: "Оплата ЖКУ за 11.2026, л/с 00000042",
  persAcc: "00000042",
  payerAddress: "г. Москва, ул. Тестовая, д. 1, кв. 5",
  period: "2026-11",
  lastName: "Иванов",
  firstName: "Иван",
  middleName: "Иванович",
};

/** The string's fields as [name, value] pairs, after checking the header. */
function fields(payload: string): [string, string][] {
  const [header, ...rest] = payload.split("|");
  expect(header).toBe("ST00012");
  return rest.map((pair) => {
    const at = pair.indexOf("=");
    expect(at, pair).toBeGreaterThan(0);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

function refusal(input: QrPayloadInput): QrPayloadError {
  try {
    buildQrPayload(input);
  } catch (error) {
    if (error instanceof QrPayloadError) return error;
    throw error;
  }
  throw new Error(`not refused: ${JSON.stringify(input)}`);
}

describe("the ST00012 payment string", () => {
  it("writes every field, the five required first, TechCode=02 last", () => {
    const payload = buildQrPayload(FULL);
    expect(fields(payload)).toEqual([
      ["Name", "ООО «УК Ромашка»"],
      ["PersonalAcc", "40702810938000012345"],
      ["BankName", "ПАО Сбербанк"],
      ["BIC", "044525225"],
      ["CorrespAcc", "30101810400000000225"],
      ["PayeeINN", "7707083893"],
      ["KPP", "773601001"],
      ["Sum", "123450"],
      ["Purpose", "Оплата ЖКУ за 11.2026, л/с 00000042"],
      ["PersAcc", "00000042"],
      ["PayerAddress", "г. Москва, ул. Тестовая, д. 1, кв. 5"],
      ["PaymPeriod", "112026"],
      ["LastName", "Иванов"],
      ["FirstName", "Иван"],
      ["MiddleName", "Иванович"],
      ["TechCode", "02"],
    ]);
    expect(fields(payload).map(([name]) => name)).toEqual([...QR_FIELDS]);
    expect(payload).toBe(
      "ST00012|Name=ООО «УК Ромашка»|PersonalAcc=40702810938000012345|BankName=ПАО Сбербанк|BIC=044525225" +
        "|CorrespAcc=30101810400000000225|PayeeINN=7707083893|KPP=773601001|Sum=123450" +
        "|Purpose=Оплата ЖКУ за 11.2026, л/с 00000042|PersAcc=00000042|PayerAddress=г. Москва, ул. Тестовая, д. 1, кв. 5" +
        "|PaymPeriod=112026|LastName=Иванов|FirstName=Иван|MiddleName=Иванович|TechCode=02",
    );
  });

  it("leaves out the optional fields not given or empty", () => {
    expect(buildQrPayload(PAYEE)).toBe(
      "ST00012|Name=ООО «УК Ромашка»|PersonalAcc=40702810938000012345|BankName=ПАО Сбербанк|BIC=044525225" +
        "|CorrespAcc=30101810400000000225|TechCode=02",
    );
    const blank = {
      payeeInn: "",
      kpp: "",
      sum: "",
      purpose: " \n ",
      persAcc: "",
      payerAddress: "",
      period: "",
      lastName: "",
      firstName: "",
      middleName: "",
    };
    expect(buildQrPayload({ ...PAYEE, ...blank })).toBe(buildQrPayload(PAYEE));
  });

  it.each([
    ["0.01", "1"],
    ["1234.5", "123450"],
    ["1234.50", "123450"],
    ["1000000.00", "100000000"],
    ["7", "700"],
    // trailing zeros are exact: numeric(14,4) gives "12.3400"
    ["12.3400", "1234"],
    ["9999999999999999.99", "999999999999999999"],
  ])("Sum of %s roubles is %s kopecks", (sum, kopecks) => {
    expect(sumInKopecks(sum)).toBe(kopecks);
    expect(fields(buildQrPayload({ ...PAYEE, sum }))).toContainEqual(["Sum", kopecks]);
  });

  it.each(["0", "0.00", "-15.20"])("leaves Sum out for %s: nothing is due", (sum) => {
    expect(sumInKopecks(sum)).toBeUndefined();
    expect(buildQrPayload({ ...PAYEE, sum })).not.toContain("Sum=");
  });

  it.each([
    ["1.005", "sum_scale"],
    ["12.341", "sum_scale"],
    ["1e3", "format"],
    ["1 234.50", "format"],
    ["1234,50", "format"],
    ["10000000000000000.00", "sum_too_large"],
  ])("refuses the sum %s (%s)", (sum, reason) => {
    expect(refusal({ ...PAYEE, sum })).toMatchObject({ field: "Sum", reason });
  });

  it("replaces | in text values and collapses line breaks and tabs", () => {
    const payload = buildQrPayload({
      ...PAYEE,
      name: "ООО «Ромашка|Лютик»",
      bankName: "Банк\r\nНовый\tфилиал",
      purpose: "  Оплата |ЖКУ|\n\nза ноябрь  ",
      payerAddress: "ул. Тестовая|д. 1\u2028кв. 5",
      lastName: "Иванов|Петров",
    });
    expect(fields(payload)).toEqual([
      ["Name", "ООО «Ромашка/Лютик»"],
      ["PersonalAcc", PAYEE.personalAcc],
      ["BankName", "Банк Новый филиал"],
      ["BIC", PAYEE.bic],
      ["CorrespAcc", PAYEE.correspAcc],
      ["Purpose", "Оплата /ЖКУ/ за ноябрь"],
      ["PayerAddress", "ул. Тестовая/д. 1 кв. 5"],
      ["LastName", "Иванов/Петров"],
      ["TechCode", "02"],
    ]);
    // 17 fields' worth of separators and no more: no value carries a bar of its own.
    expect(payload.split("|")).toHaveLength(10);
  });

  it("cuts text values to the standard's lengths, at a character", () => {
    const fieldsOf = (input: Partial<QrPayloadInput>) => Object.fromEntries(fields(buildQrPayload({ ...PAYEE, ...input })));
    const got = fieldsOf({ name: "Я".repeat(200), bankName: "Б".repeat(46), purpose: "П".repeat(300) });
    expect(got.Name).toBe("Я".repeat(160));
    expect(got.BankName).toBe("Б".repeat(45));
    expect(got.Purpose).toBe("П".repeat(210));
    // A character outside the BMP (two UTF-16 units) is kept whole or left out whole.
    const emoji = "🏠";
    expect(cleanQrText("а".repeat(44) + emoji + "б", 45)).toBe("а".repeat(44) + emoji);
    expect(cleanQrText("а".repeat(45) + emoji, 45)).toBe("а".repeat(45));
    expect(fieldsOf({ bankName: "а".repeat(44) + emoji + emoji }).BankName).toBe("а".repeat(44) + emoji);
    // A cut that ends on a space does not leave it dangling.
    expect(cleanQrText("Банк " + "Ж".repeat(50), 5)).toBe("Банк");
  });

  it.each([
    ["bic", "04452522", "BIC"],
    ["bic", "04452522A", "BIC"],
    ["bic", "", "BIC"],
    ["personalAcc", "4070281093800001234", "PersonalAcc"],
    ["personalAcc", "40702 810938000012345", "PersonalAcc"],
    ["personalAcc", "407028109380000123456", "PersonalAcc"],
    ["correspAcc", "3010181040000000022O", "CorrespAcc"],
    ["payeeInn", "77070838931", "PayeeINN"],
    ["payeeInn", "770708389", "PayeeINN"],
    ["payeeInn", "77070838 93", "PayeeINN"],
    ["kpp", "77360100", "KPP"],
    ["kpp", "7736a1001", "KPP"],
    ["persAcc", "000|42", "PersAcc"],
    ["persAcc", "00 42", "PersAcc"],
    ["persAcc", "1".repeat(21), "PersAcc"],
    ["period", "2026-13", "PaymPeriod"],
    ["period", "112026", "PaymPeriod"],
    ["period", "2026-1", "PaymPeriod"],
  ] as const)("refuses %s %j: it is never fixed silently", (key, value, field) => {
    expect(refusal({ ...FULL, [key]: value })).toMatchObject({ name: "QrPayloadError", field, reason: "format" });
  });

  it("refuses an empty required text", () => {
    expect(refusal({ ...PAYEE, name: "  " })).toMatchObject({ field: "Name", reason: "required" });
    expect(refusal({ ...PAYEE, bankName: "\n\t" })).toMatchObject({ field: "BankName", reason: "required" });
  });

  it("accepts a 12-digit INN without a KPP and an account number with letters", () => {
    const got = Object.fromEntries(fields(buildQrPayload({ ...PAYEE, payeeInn: "500100732259", kpp: "", persAcc: "12-345/А" })));
    expect(got).toMatchObject({ PayeeINN: "500100732259", PersAcc: "12-345/А" });
    expect(got.KPP).toBeUndefined();
  });
});

describe("the payer's name and the purpose", () => {
  it.each([
    ["Иванов Иван Иванович", { lastName: "Иванов", firstName: "Иван", middleName: "Иванович" }],
    ["  Петрова   Анна  ", { lastName: "Петрова", firstName: "Анна", middleName: "" }],
    ["Салтыков-Щедрин Михаил Евграфович", { lastName: "Салтыков-Щедрин", firstName: "Михаил", middleName: "Евграфович" }],
    ["ИВАНОВ ИВАН ИВАНОВИЧ", { lastName: "ИВАНОВ", firstName: "ИВАН", middleName: "ИВАНОВИЧ" }],
    ["Smith John", { lastName: "Smith", firstName: "John", middleName: "" }],
  ])("splits %j", (name, parts) => {
    expect(splitOwnerName(name)).toEqual(parts);
  });

  it.each([
    "",
    "Иванов",
    "Иванов И. И.",
    "Иванов И.И.",
    "Мамедов Ахмед Али оглы",
    "ООО Ромашка",
    "ИП Иванов Иван",
    "ТСЖ «Лютик»",
    "Иванов Иван 2",
    "Иванов|Иван Иванович",
  ])("leaves %j unsplit", (name) => {
    expect(splitOwnerName(name)).toBeNull();
  });

  it("builds the purpose from the month and the account number", () => {
    expect(paymentPurpose("2026-11", "00000042")).toBe("Оплата ЖКУ за 11.2026, л/с 00000042");
    expect(paymentPurpose("2027-01", "")).toBe("Оплата ЖКУ за 01.2027");
    expect(() => paymentPurpose("2026-13", "1")).toThrow(QrPayloadError);
  });
});

function pdf(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", font: FONT, margin: 40 });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  draw(doc);
  doc.end();
  return done;
}

describe("a QR code in a PDF, read back", () => {
  it("keeps the text and decodes to exactly the payment string", async () => {
    const owner = splitOwnerName("Иванов Иван Иванович");
    const payload = buildQrPayload({ ...FULL, name: "ООО «Управляющая компания „Ромашка|Лютик“»", ...owner });
    expect(payload).toContain("Name=ООО «Управляющая компания „Ромашка/Лютик“»");
    const buf = await pdf((doc) => {
      doc.fontSize(12).text("Плательщик: Иванов Иван Иванович, кв. 5");
      doc.text("Итого к оплате: 1 234,50 ₽");
      doc.text("Ёжик в тумане — щётка, объём 12,345 м³", 40, 400);
      drawQr(doc, payload, 400, 600, 140);
    });
    expect(buf.subarray(0, 5).toString()).toBe("%PDF-");

    const [page, ...more] = await pdfText(buf);
    expect(more).toEqual([]);
    expect(page.split("\n")).toEqual([
      "Плательщик: Иванов Иван Иванович, кв. 5",
      "Итого к оплате: 1 234,50 ₽",
      "Ёжик в тумане — щётка, объём 12,345 м³",
    ]);

    const image = await renderPage(buf, 1, 3);
    expect(image).toMatchObject({ width: 1786, height: 2526 });
    expect(image.data).toHaveLength(image.width * image.height * 4);
    expect(image.png.subarray(1, 4).toString()).toBe("PNG");
    expect(decodeQr(image)).toBe(payload);
  });

  it("draws a code that decodes on a page of several codes", async () => {
    const payloads = ["2026-01", "2026-02"].map((period, i) =>
      buildQrPayload({ ...FULL, period, sum: `${i + 1}00.00`, purpose: paymentPurpose(period, FULL.persAcc!) }),
    );
    const buf = await pdf((doc) => {
      drawQr(doc, payloads[0], 40, 40, 150);
      doc.addPage();
      drawQr(doc, payloads[1], 300, 500, 150);
    });
    expect(decodeQr(await renderPage(buf, 1, 3))).toBe(payloads[0]);
    expect(decodeQr(await renderPage(buf, 2, 3))).toBe(payloads[1]);
    expect(await pdfText(buf)).toEqual(["", ""]);
  });
});
