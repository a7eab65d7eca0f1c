import { ApiError } from "./errors";

/** application/json or a structured-syntax JSON type (application/merge-patch+json); parameters (charset) aside. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Reads a JSON body of at most maxBytes: 415 when it is declared as something other than JSON
 * (no Content-Type at all is read as JSON, as clients written before the check send it), 413
 * beyond the size, 400 for anything that is not JSON.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const mediaType = request.headers.get("content-type")?.split(";")[0].trim();
  if (mediaType && !JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ApiError({
      reason: "body_not_json_type",
      params: { content_type: mediaType.slice(0, 100) },
      message: `the body must be JSON, sent with Content-Type: application/json (it was declared as ${mediaType.slice(0, 100)})`,
    });
  }
  const bytes = await readBytes(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError({ reason: "body_not_utf8", message: "request body is not valid UTF-8" });
  }
  if (text.trim() === "") {
    throw new ApiError({ reason: "body_empty", message: "request body is empty; send a JSON object" });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError({ reason: "body_not_json", message: `request body is not valid JSON: ${(e as Error).message}` });
  }
}

/**
 * Reads a file sent as the raw body, of at most maxBytes (413 beyond), declared as one of the
 * media types (415 otherwise; none declared is taken).
 */
export async function readFileBody(request: Request, mediaTypes: string[], maxBytes: number): Promise<Buffer> {
  const mediaType = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (mediaType && !mediaTypes.includes(mediaType)) {
    throw new ApiError({
      reason: "import_file_type",
      params: { content_type: mediaType.slice(0, 100) },
      message: `send the file itself as the body, with Content-Type ${mediaTypes.join(" or ")} (it was declared as ${mediaType.slice(0, 100)})`,
    });
  }
  return readBytes(request, maxBytes);
}

/** The body's bytes, at most maxBytes (413 as soon as the declared length or the bytes read pass it). */
async function readBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = request.headers.get("content-length");
  if (declared && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError({
    reason: "body_too_large",
    message: `request body is larger than ${maxBytes} bytes`,
    params: { max_bytes: maxBytes },
  });
}
