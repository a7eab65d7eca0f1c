// TEMPORARY: the rq-qr branch's pdf-read.ts replaces this at merge.
import { createCanvas } from "@napi-rs/canvas";
import jsQR from "jsqr";

async function open(buf: Buffer) {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  return pdfjs.getDocument({ data: new Uint8Array(buf), verbosity: 0 }).promise;
}

export async function pdfText(buf: Buffer): Promise<string[]> {
  const pdf = await open(buf);
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    const lines = new Map<number, { x: number; s: string }[]>();
    for (const item of content.items) {
      if (!("str" in item)) continue;
      const y = Math.round(item.transform[5]);
      const line = lines.get(y) ?? [];
      line.push({ x: item.transform[4], s: item.str });
      lines.set(y, line);
    }
    pages.push(
      [...lines.entries()]
        .sort((a, b) => b[0] - a[0])
        .map(([, items]) =>
          items
            .sort((a, b) => a.x - b.x)
            .map((i) => i.s)
            .join(" "),
        )
        .join("\n"),
    );
  }
  return pages;
}

export async function renderPage(buf: Buffer, pageNo: number, scale = 3) {
  const pdf = await open(buf);
  const page = await pdf.getPage(pageNo);
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(viewport.width, viewport.height);
  const context = canvas.getContext("2d");
  await page.render({ canvasContext: context as never, viewport, canvas: canvas as never }).promise;
  const image = context.getImageData(0, 0, viewport.width, viewport.height);
  return { png: canvas.toBuffer("image/png"), width: image.width, height: image.height, data: image.data };
}

export function decodeQr(image: { data: Uint8ClampedArray; width: number; height: number }): string | null {
  return jsQR(image.data, image.width, image.height)?.data ?? null;
}
