import { getTranslations } from "next-intl/server";
import { ProfileView } from "@/components/accounts/profile-view";

export async function generateMetadata() {
  const t = await getTranslations("accounts.profile");
  return { title: `${t("title")} — Kvartplata` };
}

export default function ProfilePage() {
  return <ProfileView />;
}
