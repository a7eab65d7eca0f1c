import { HouseList } from "@/components/houses/house-list";

export default function HousesPage() {
  return <HouseList />;
}
