import QRCode from "qrcode";

/** The quiet zone around the symbol, in modules: ISO/IEC 18004 asks for 4. */
const QUIET_ZONE = 4;

/**
 * Draws `text` as a QR code (error correction level M, as banking apps expect for ST00012)
 * into a square of `size` points at (`x`, `y`), the quiet zone included: a white square, then
 * the dark modules as vector rectangles. A horizontal run of dark modules is one rectangle,
 * and a run repeated at the same place in the rows below grows taller instead of starting a
 * new one: a page of a 1,000-page document stays small and fast to write and to render.
 */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  // One byte segment of the UTF-8 text. Left to itself qrcode searches for the shortest mix
  // of numeric, alphanumeric and byte segments, which for our strings (Cyrillic between runs
  // of digits) took half of its time and gave the same version of symbol.
  const { modules } = QRCode.create([{ data: Buffer.from(text, "utf8"), mode: "byte" }], { errorCorrectionLevel: "M" });
  const n = modules.size;
  const dark = modules.data;
  const unit = size / (n + 2 * QUIET_ZONE);

  // Runs still growing downwards: key start * (n + 1) + length, value the row they began on.
  let open = new Map<number, number>();
  // The rectangles as PDF path operators in module units (integers: short to write and exact).
  const path: string[] = [];
  for (let row = 0; row <= n; row++) {
    const next = new Map<number, number>();
    for (let col = 0; row < n && col < n; col++) {
      if (!dark[row * n + col]) continue;
      const start = col;
      while (col + 1 < n && dark[row * n + col + 1]) col++;
      const key = start * (n + 1) + (col - start + 1);
      next.set(key, open.get(key) ?? row);
      open.delete(key);
    }
    for (const [key, firstRow] of open) {
      path.push(`${Math.floor(key / (n + 1))} ${firstRow} ${key % (n + 1)} ${row - firstRow} re`);
    }
    open = next;
  }

  doc.save();
  doc.rect(x, y, size, size).fill("white");
  // pdfkit's rect() for each rectangle cost more than the rest of the drawing together. One
  // block of operators under a scaling transform is the same path: pdfkit's y-down space is
  // the page's current matrix, so the raw operators land where rect() would put them.
  doc.transform(unit, 0, 0, unit, x + QUIET_ZONE * unit, y + QUIET_ZONE * unit);
  doc.addContent(path.join("\n"));
  doc.fill("black");
  doc.restore();
}
