import { clientAddress } from "@/lib/api/client-address";
import { json, publicRoute } from "@/lib/api/route";
import { requestLoginCode } from "@/lib/auth/login";
import { loginBody } from "@/lib/schemas/accounts";

// POST /api/login – send a one-time sign-in code to the phone by SMS
export const POST = publicRoute({ body: loginBody }, async ({ db, body, request }) => {
  await requestLoginCode(db, { phone: body.phone, clientAddress: clientAddress(request) });
  return json({ detail: `a sign-in code was sent to ${body.phone}`, phone: body.phone });
});
