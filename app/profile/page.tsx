import { ProfileView } from "@/components/accounts/profile-view";

export const metadata = { title: "Профиль — Kvartplata" };

export default function ProfilePage() {
  return <ProfileView />;
}
