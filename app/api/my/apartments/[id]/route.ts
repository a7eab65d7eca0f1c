import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { getMyApartment } from "@/lib/residents/my-apartments";

// GET /api/my/apartments/:id – one of the caller's apartments: readings' history, invoices, account
export const GET = route(operations.getMyApartment, async ({ db, actor, params }) =>
  json(await getMyApartment(db, actor.personId!, params.id)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
