import type { Metadata } from "next";
import { ApiReference } from "@/components/docs/api-reference";
import { openApiDocument } from "@/lib/api/openapi";
import packageJson from "@/package.json";

export const metadata: Metadata = { title: "API reference · Kvartplata" };

// /api/docs – the API reference, public like /api/openapi.json (the description holds no data)
export default function ApiDocsPage() {
  return <ApiReference document={openApiDocument(packageJson.version)} />;
}
