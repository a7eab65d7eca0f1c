import type { Metadata } from "next";
import { ApiReference } from "@/components/docs/api-reference";

export const metadata: Metadata = { title: "API reference · Kvartplata" };

// /api/docs – the API reference, public like /api/openapi.json (the description holds no data)
export default function ApiDocsPage() {
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700">
        Machine-readable:{" "}
        <a className="text-brand-700 underline" href="/api/openapi.json">
          /api/openapi.json
        </a>{" "}
        (OpenAPI 3.1).
      </p>
      <ApiReference url="/api/openapi.json" />
    </div>
  );
}
