import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { HouseList } from "@/components/houses/house-list";
import { houseKeys, HOUSE_LIST_LIMIT } from "@/components/houses/queries";
import { getDb } from "@/db/client";
import { pageActor } from "@/lib/auth/server-session";
import { listHousesPage } from "@/lib/registry/houses";

export const dynamic = "force-dynamic";

// The first screen comes with its data: the same function the API calls, run during the render.
export default async function HousesPage() {
  const client = new QueryClient();
  const actor = await pageActor();
  if (actor) {
    await client.prefetchQuery({
      queryKey: houseKeys.list(""),
      queryFn: () => listHousesPage(getDb(), actor.scope, { limit: HOUSE_LIST_LIMIT, offset: 0 }),
    });
  }
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <HouseList />
    </HydrationBoundary>
  );
}
