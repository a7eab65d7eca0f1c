import { clientAddress } from "@/lib/api/client-address";
import * as operations from "@/lib/api/operations";
import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { requestLoginCode } from "@/lib/auth/login";

// POST /api/login – send a one-time sign-in code to the phone by SMS
export const POST = publicRoute(operations.login, async ({ db, body, request }) => {
  await requestLoginCode(db, { phone: body.phone, clientAddress: clientAddress(request) });
  return json({ detail: `a sign-in code was sent to ${body.phone}`, phone: body.phone });
});

export const { GET, PUT, PATCH, DELETE, HEAD, OPTIONS } = otherMethods(POST);
