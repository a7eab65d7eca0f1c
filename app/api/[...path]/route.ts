import { ApiError } from "@/lib/api/errors";
import { errorResponse, withRequestLog } from "@/lib/api/route";

// Any other /api path – a JSON 404 instead of the HTML page
const unknownPath = (request: Request) =>
  withRequestLog(request, null, async () =>
    errorResponse(new ApiError({ reason: "endpoint_not_found", message: `no API endpoint at ${new URL(request.url).pathname}` }), request),
  );

export const GET = unknownPath;
export const POST = unknownPath;
export const PUT = unknownPath;
export const PATCH = unknownPath;
export const DELETE = unknownPath;
export const OPTIONS = unknownPath;
