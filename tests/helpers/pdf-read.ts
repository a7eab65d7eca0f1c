import { createRequire } from "node:module";
import path from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import jsQR from "jsqr";
import { getDocument, VerbosityLevel, type PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";

// Reading a PDF back the way a person would: its text (pdfjs-dist), its pages as pictures
// (@napi-rs/canvas, which pdfjs-dist's Node build draws on) and a QR code on them (jsQR).
// The legacy build runs in Node without a worker thread (pdfjs sets up its "fake worker" in
// this process); errors only, so a test's output is not full of font notices.

const require = createRequire(import.meta.url);
// The 14 standard fonts, for a PDF that uses one without embedding it (ours embed DejaVu).
const STANDARD_FONTS = path.join(path.dirname(require.resolve("pdfjs-dist/package.json")), "standard_fonts") + path.sep;

async function withPdf<T>(buf: Uint8Array, read: (pdf: PDFDocumentProxy) => Promise<T>): Promise<T> {
  // A copy: pdfjs takes over (detaches) the buffer it is given.
  const pdf = await getDocument({
    data: new Uint8Array(buf),
    verbosity: VerbosityLevel.ERRORS,
    standardFontDataUrl: STANDARD_FONTS,
    isEvalSupported: false,
  }).promise;
  try {
    return await read(pdf);
  } finally {
    await pdf.destroy();
  }
}

interface Run {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The text of each page, one line per line of print, top to bottom; in a line the pieces are
 * sorted left to right and a space put where the print leaves a gap between them.
 */
export async function pdfText(buf: Uint8Array): Promise<string[]> {
  return withPdf(buf, async (pdf) => {
    const pages: string[] = [];
    for (let no = 1; no <= pdf.numPages; no++) {
      const page = await pdf.getPage(no);
      const content = await page.getTextContent();
      const runs: Run[] = [];
      for (const item of content.items) {
        if (!("str" in item) || item.str === "") continue;
        const [, , , , x, y] = item.transform as number[];
        runs.push({ str: item.str, x, y, width: item.width, height: item.height });
      }
      // PDF's y grows upwards: the top line has the largest y.
      runs.sort((a, b) => b.y - a.y || a.x - b.x);
      const lines: Run[][] = [];
      for (const run of runs) {
        const line = lines.at(-1);
        // Same line when the baselines are within a third of the text's height.
        if (line && Math.abs(line[0].y - run.y) <= Math.max(1, line[0].height / 3)) line.push(run);
        else lines.push([run]);
      }
      pages.push(
        lines
          .map((line) => {
            line.sort((a, b) => a.x - b.x);
            let text = "";
            let end = -Infinity;
            for (const run of line) {
              const gap = run.x - end > Math.max(1, run.height * 0.15);
              if (text !== "" && gap && !text.endsWith(" ") && !run.str.startsWith(" ")) text += " ";
              text += run.str;
              end = run.x + run.width;
            }
            return text.replace(/\s+/g, " ").trim();
          })
          .join("\n"),
      );
      page.cleanup();
    }
    return pages;
  });
}

export interface PageImage {
  png: Buffer;
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, row by row */
  data: Uint8ClampedArray;
}

/** Page `pageNo` (from 1) rendered at `scale` pixels per point (1 = 72 dpi). */
export async function renderPage(buf: Uint8Array, pageNo: number, scale = 3): Promise<PageImage> {
  return withPdf(buf, async (pdf) => {
    const page = await pdf.getPage(pageNo);
    const viewport = page.getViewport({ scale });
    const width = Math.ceil(viewport.width);
    const height = Math.ceil(viewport.height);
    const canvas = createCanvas(width, height);
    const context = canvas.getContext("2d");
    // A PDF page is white where nothing is drawn; the canvas starts transparent.
    context.fillStyle = "white";
    context.fillRect(0, 0, width, height);
    await page.render({
      canvas: canvas as unknown as HTMLCanvasElement,
      canvasContext: context as unknown as CanvasRenderingContext2D,
      viewport,
    }).promise;
    const data = context.getImageData(0, 0, width, height).data;
    return { png: await canvas.encode("png"), width, height, data };
  });
}

/**
 * The text of the QR code found in the image, or null. jsQR wants a module of about 3.5 pixels
 * or more: a receipt's code (version 17, 85 modules) drawn 140 points wide decodes rendered
 * at scale 3; the longest string the limits allow (version 36) needs 150 points at scale 4.
 */
export function decodeQr(image: Pick<PageImage, "data" | "width" | "height">): string | null {
  return jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" })?.data ?? null;
}
