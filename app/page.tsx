import { HouseList } from "@/components/houses/house-list";

export default function HomePage() {
  return <HouseList />;
}
