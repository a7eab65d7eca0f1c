import { redirect } from "next/navigation";

// The houses are the home page after sign-in.
export default function HomePage() {
  redirect("/houses");
}
