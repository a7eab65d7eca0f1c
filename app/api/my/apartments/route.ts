import * as operations from "@/lib/api/operations";
import { json, otherMethods, route } from "@/lib/api/route";
import { listMyApartments } from "@/lib/residents/my-apartments";

// GET /api/my/apartments – the apartments the signed-in person is a resident of
export const GET = route(operations.listMyApartments, async ({ db, actor }) => json(await listMyApartments(db, actor.personId!)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(GET);
