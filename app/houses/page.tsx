import { HouseList } from "@/components/houses/house-list";
import { houseKeys, HOUSE_LIST_LIMIT } from "@/components/houses/queries";
import { Prefetched } from "@/app/_lib/prefetched";
import { listHousesPage } from "@/lib/registry/houses";
import { ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export default function HousesPage() {
  return (
    <Prefetched
      roles={ROLES.read}
      prefetch={(client, db, scope) =>
        client.prefetchQuery({
          queryKey: houseKeys.list(""),
          queryFn: () => listHousesPage(db, scope, { limit: HOUSE_LIST_LIMIT, offset: 0 }),
        })
      }
    >
      <HouseList />
    </Prefetched>
  );
}
