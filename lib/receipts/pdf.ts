import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import { numberFormats, pricePlaces, UNIT_PLACES } from "../format";
import { Dec } from "../money";
import { monthName, ruDate, type ReceiptDocument } from "./document";
import { drawQr } from "./qr-draw";
import { paymentQr } from "./qr";

// The payment documents as PDF, drawn on the server with pdfkit (no browser): A4 portrait, one
// page per apartment (more when its lines do not fit), in Russian. The fonts are DejaVu Sans
// Condensed from the dejavu-fonts-ttf package: Cyrillic and the rouble sign on a bare machine
// and in the Docker image alike (next.config.mjs traces the files into the standalone output).

const FONT_DIR = ["node_modules", "dejavu-fonts-ttf", "ttf"];
const FONTS = { regular: "DejaVuSansCondensed.ttf", bold: "DejaVuSansCondensed-Bold.ttf" } as const;

let fonts: Record<keyof typeof FONTS, Buffer> | undefined;

/**
 * The font files, read once per process, from node_modules/dejavu-fonts-ttf in the working
 * directory (development, tests, and the standalone server.js, which changes into its own folder)
 * or else in the runtime folder the worker bundle runs from (<runtime>/dist/worker.mjs: one folder
 * up), so that a worker started elsewhere (`docker run -w`, a Kubernetes workingDir) finds them.
 */
function loadFonts(): Record<keyof typeof FONTS, Buffer> {
  if (fonts) return fonts;
  const roots = [process.cwd(), path.resolve(path.dirname(process.argv[1] ?? "."), "..")];
  const dirs = roots.map((root) => path.join(/*turbopackIgnore: true*/ root, ...FONT_DIR));
  // turbopackIgnore: paths known only at run time would make the build trace the whole project
  // into the standalone server (tests, e2e, scripts…); next.config.mjs traces the fonts by name.
  const dir = dirs.find((d) => existsSync(path.join(/*turbopackIgnore: true*/ d, FONTS.regular))) ?? dirs[0];
  const file = (name: string) => {
    const full = path.join(/*turbopackIgnore: true*/ dir, name);
    if (!existsSync(full)) {
      throw new Error(`font ${full} is missing: the dejavu-fonts-ttf package must be installed next to the app`);
    }
    return readFileSync(full);
  };
  fonts = { regular: file(FONTS.regular), bold: file(FONTS.bold) };
  return fonts;
}

const PAGE = { width: 595.28, height: 841.89, margin: 28 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const GREY = "#555555";
const LINE = "#999999";

const fmt = numberFormats("ru");
const money = (value: string) => fmt.decimal(value, 2);
const signedMoney = (value: string) => (new Dec(value).isZero() ? "—" : money(value));

interface Column {
  title: string;
  width: number;
  align?: "left" | "right" | "center";
}

/** Renders the documents, in order, into one PDF. */
export async function renderReceiptsPdf(
  receipts: readonly ReceiptDocument[],
  onPage?: (done: number) => void | Promise<void>,
): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: "A4",
    margin: PAGE.margin,
    // No `font: <the DejaVu buffer>` here: pdfkit would then open the registered "R" again on every
    // doc.font("R") (its cache check finds the same font under its PostScript name first and
    // returns before caching the name: 60 pages took 11 s instead of 1). Helvetica comes first
    // (from pdfkit's bundled metrics) and is never drawn with.
    autoFirstPage: false,
    compress: true,
    info: { Title: "Платёжные документы", Producer: "Kvartplata", Creator: "Kvartplata" },
  });
  doc.registerFont("R", regular);
  doc.registerFont("B", bold);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  let done = 0;
  for (const receipt of receipts) {
    drawReceipt(doc, receipt);
    done += 1;
    if (onPage) await onPage(done);
  }
  if (receipts.length === 0) doc.addPage();
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function drawReceipt(doc: PDFKit.PDFDocument, r: ReceiptDocument) {
  doc.addPage();
  if (r.draft) watermark(doc);
  const x0 = PAGE.margin;
  let y = PAGE.margin;

  // title
  doc.font("B").fontSize(11).fillColor("black");
  doc.text(`ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ за ${monthName(r.period)}`, x0, y, { width: CONTENT_WIDTH * 0.68 });
  doc
    .font("B")
    .fontSize(11)
    .text(`Лицевой счёт № ${r.payer.accountNumber}`, x0 + CONTENT_WIDTH * 0.62, y, {
      width: CONTENT_WIDTH * 0.38,
      align: "right",
    });
  y += 18;
  doc.font("R").fontSize(7.5).fillColor(GREY);
  doc.text(
    "для внесения платы за содержание и ремонт жилого помещения и предоставление коммунальных услуг (ЖК РФ ст. 155, Правила № 354 п. 69)",
    x0,
    y,
    { width: CONTENT_WIDTH },
  );
  y = doc.y + 2;
  if (r.draft) {
    doc.font("B").fontSize(8).fillColor("#b00000");
    doc.text("ЧЕРНОВИК: месяц не проведён, суммы ещё могут измениться. Не для оплаты.", x0, y, { width: CONTENT_WIDTH });
    y = doc.y + 2;
  }
  y += 4;

  // the payer and the payee, side by side
  const half = (CONTENT_WIDTH - 12) / 2;
  const payerTop = y;
  const payerEnd = block(doc, x0, y, half, "Плательщик", [
    ["ФИО", r.payer.ownerName || "—"],
    ["Адрес", r.payer.address],
    ["Лицевой счёт", r.payer.accountNumber],
    ["Площадь", fmt.area(r.payer.area)],
    ["Зарегистрировано", `${r.payer.residents} чел.`],
  ]);
  const p = r.payee;
  const payeeEnd = block(doc, x0 + half + 12, payerTop, half, "Исполнитель (получатель платежа)", [
    ["", p.orgName],
    ["ИНН / КПП", p.kpp ? `${p.inn} / ${p.kpp}` : p.inn],
    ["Адрес", p.orgAddress || "—"],
    ["Телефон", p.orgPhone || "—"],
    ...(p.orgEmail ? ([["Эл. почта", p.orgEmail]] as [string, string][]) : []),
    ...(p.orgSite ? ([["Сайт", p.orgSite]] as [string, string][]) : []),
    ["Р/с", p.settlementAccount],
    ["Банк", p.bankName],
    ["БИК", p.bic],
    ["К/с", p.correspondentAccount],
  ]);
  y = Math.max(payerEnd, payeeEnd) + 8;

  // the sums and the QR code
  const qrSize = 112;
  const sumsTop = y;
  const f = r.figures;
  const balance = new Dec(f.balance);
  const rows: [string, string, boolean?][] = [
    [
      new Dec(f.debtAtStart).lt(0) ? "Аванс на начало периода" : "Задолженность на начало периода",
      money(new Dec(f.debtAtStart).abs().toFixed(2)),
    ],
    ["Оплачено в периоде", money(f.paid)],
    ["Начислено за период", money(f.charged)],
    ["Пени (ЖК РФ ст. 155 ч. 14)", money(f.penalties)],
    ...(new Dec(f.other).isZero() ? [] : ([["Прочие изменения", money(f.other)]] as [string, string][])),
    ["ИТОГО К ОПЛАТЕ", money(f.toPay), true],
    ...(balance.lt(0) ? ([["Аванс на конец периода", money(balance.abs().toFixed(2))]] as [string, string][]) : []),
    ["Оплатить до", ruDate(r.dueDate)],
  ];
  const labelWidth = 200;
  const valueWidth = 110;
  doc.font("B").fontSize(8.5).fillColor("black").text("Расчёт суммы к оплате, руб.", x0, y);
  y += 14;
  for (const [label, value, strong] of rows) {
    doc
      .font(strong ? "B" : "R")
      .fontSize(strong ? 10 : 8.5)
      .fillColor("black");
    doc.text(label, x0, y, { width: labelWidth, lineBreak: false });
    doc.text(value, x0 + labelWidth, y, { width: valueWidth, align: "right", lineBreak: false });
    y += strong ? 15 : 12;
  }
  const qrX = x0 + CONTENT_WIDTH - qrSize;
  drawQr(doc, paymentQr(r), qrX, sumsTop, qrSize);
  doc
    .font("R")
    .fontSize(6.5)
    .fillColor(GREY)
    .text(
      balance.gt(0) ? "Оплата по QR-коду в приложении банка" : "К оплате 0,00: сумму в приложении банка не указываем",
      qrX - 30,
      sumsTop + qrSize + 2,
      {
        width: qrSize + 30,
        align: "center",
      },
    );
  y = Math.max(y, sumsTop + qrSize + 14) + 6;

  // the services
  const serviceColumns: Column[] = [
    { title: "Вид услуги", width: 150 },
    { title: "Ед. изм.", width: 38, align: "center" },
    { title: "Объём", width: 58, align: "right" },
    { title: "Тариф, руб.", width: 62, align: "right" },
    { title: "Начислено, руб.", width: 74, align: "right" },
    { title: "Перерасчёт, руб.", width: 74, align: "right" },
    { title: "Итого, руб.", width: CONTENT_WIDTH - 456, align: "right" },
  ];
  y = table(
    doc,
    y,
    serviceColumns,
    r.lines.map((l) => [
      l.service,
      fmt.unit(l.unit),
      fmt.decimal(l.quantity, UNIT_PLACES[l.unit]),
      fmt.decimal(l.price, pricePlaces(l.price)),
      money(l.charged),
      signedMoney(l.recalculation),
      money(l.total),
    ]),
    ["Итого за месяц", "", "", "", "", "", money(f.charged)],
  );
  const bases = r.lines.filter((l) => l.basis);
  if (bases.length > 0) {
    doc.font("R").fontSize(7).fillColor(GREY);
    doc.text(`Основания перерасчёта: ${bases.map((l) => l.basis).join("; ")}`, x0, y + 2, { width: CONTENT_WIDTH });
    y = doc.y + 4;
  }
  y += 8;

  // the meters
  if (r.meters.length > 0) {
    const reading = (v: { period: string; value: string } | null) =>
      v ? `${fmt.decimal(v.value, 3)} (${v.period.slice(5, 7)}.${v.period.slice(0, 4)})` : "—";
    y = ensureRoom(doc, y, 40);
    doc.font("B").fontSize(8.5).fillColor("black").text("Показания приборов учёта", x0, y);
    y += 13;
    y = table(
      doc,
      y,
      [
        { title: "№ счётчика", width: 88 },
        { title: "Услуга", width: 40, align: "center" },
        { title: "Предыдущее", width: 88, align: "right" },
        { title: "Текущее", width: 88, align: "right" },
        { title: "Объём, м³", width: 60, align: "right" },
        { title: "Как определён объём", width: CONTENT_WIDTH - 364 },
      ],
      r.meters.map((m) => [
        m.serial,
        m.service,
        reading(m.previous),
        reading(m.current),
        fmt.decimal(m.volume, 3),
        m.note || "по показаниям",
      ]),
    );
  }

  // the footer
  y = ensureRoom(doc, y + 8, 30);
  doc.font("R").fontSize(6.5).fillColor(GREY);
  doc.text(
    `Плата вносится до ${ruDate(r.dueDate)}. При неполной или несвоевременной оплате начисляются пени (ЖК РФ ст. 155 ч. 14). ` +
      "Объёмы без показаний определены по среднему (п. 59) или по нормативу (п. 60), с перерасчётом по показаниям (п. 61 Правил № 354).",
    x0,
    y,
    { width: CONTENT_WIDTH },
  );
}

/** A titled block of label: value lines; returns the y below it. */
function block(doc: PDFKit.PDFDocument, x: number, y: number, width: number, title: string, lines: [string, string][]): number {
  doc.font("B").fontSize(8.5).fillColor("black").text(title, x, y, { width });
  let at = doc.y + 2;
  for (const [label, value] of lines) {
    doc.font("R").fontSize(8).fillColor("black");
    doc.text(label ? `${label}: ${value}` : value, x, at, { width });
    at = doc.y + 1;
  }
  doc
    .moveTo(x, at + 2)
    .lineTo(x + width, at + 2)
    .lineWidth(0.5)
    .strokeColor(LINE)
    .stroke();
  return at + 4;
}

const ROW = 12;

/** A table with a header row; returns the y below it. Breaks onto a new page when full. */
function table(doc: PDFKit.PDFDocument, top: number, columns: Column[], rows: string[][], footer?: string[]): number {
  let y = top;
  const header = () => {
    doc.font("B").fontSize(7.5).fillColor("black");
    let x = PAGE.margin;
    for (const c of columns) {
      doc.text(c.title, x + 2, y + 2, { width: c.width - 4, align: c.align ?? "left", lineBreak: false });
      x += c.width;
    }
    y += ROW;
    rule(doc, y);
  };
  header();
  const drawRow = (cells: string[], font: "R" | "B") => {
    const heights = cells.map((cell, i) =>
      doc
        .font(font)
        .fontSize(7.5)
        .heightOfString(cell, { width: columns[i].width - 4 }),
    );
    const height = Math.max(ROW, ...heights.map((h) => h + 3));
    if (y + height > PAGE.height - PAGE.margin) {
      doc.addPage();
      y = PAGE.margin;
      header();
    }
    let x = PAGE.margin;
    doc.font(font).fontSize(7.5).fillColor("black");
    cells.forEach((cell, i) => {
      doc.text(cell, x + 2, y + 2, { width: columns[i].width - 4, align: columns[i].align ?? "left" });
      x += columns[i].width;
    });
    y += height;
    rule(doc, y);
  };
  for (const cells of rows) drawRow(cells, "R");
  if (footer) drawRow(footer, "B");
  return y;
}

function rule(doc: PDFKit.PDFDocument, y: number) {
  doc
    .moveTo(PAGE.margin, y)
    .lineTo(PAGE.margin + CONTENT_WIDTH, y)
    .lineWidth(0.3)
    .strokeColor(LINE)
    .stroke();
}

function ensureRoom(doc: PDFKit.PDFDocument, y: number, needed: number): number {
  if (y + needed <= PAGE.height - PAGE.margin) return y;
  doc.addPage();
  return PAGE.margin;
}

/** «ЧЕРНОВИК» across the page: a month not yet posted. */
function watermark(doc: PDFKit.PDFDocument) {
  doc.save();
  doc.rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] });
  doc.font("B").fontSize(96).fillColor("#d0d0d0").opacity(0.45);
  doc.text("ЧЕРНОВИК", -150, PAGE.height / 2 - 50, { width: PAGE.width + 300, align: "center", lineBreak: false });
  doc.restore();
  doc.opacity(1);
}
