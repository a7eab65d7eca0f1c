"use client";

import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";

// The API reference is Swagger UI, bundled into the app from npm (swagger-ui-dist): no script,
// style or font comes from anywhere but this server. It reads the same /api/openapi.json that
// integrators use, so the page and the document cannot differ. "Try it out" sends its requests
// to the document's server, "/": this installation, with the reader's own session.
//
// swagger-ui-dist's prebuilt bundle (with its own React) rather than swagger-ui-react: Turbopack
// mis-bundles swagger-ui-react's OpenAPI 3.1 resolver ("refract is not a function",
// vercel/next.js#86507), and the prebuilt bundle does not depend on our React version.

export function ApiReference({ url }: { url: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let unmounted = false;
    // Loaded on demand: 1.7 MB that only this page needs, and it reads `window` as it loads.
    void import("swagger-ui-dist/swagger-ui-es-bundle.js").then(({ default: SwaggerUIBundle }) => {
      if (unmounted || !container.current) return;
      SwaggerUIBundle({
        domNode: container.current,
        url,
        // Links like /api/docs#/Houses/listHouses open that operation.
        deepLinking: true,
        displayOperationId: true,
        filter: true,
        // ?url= and ?configUrl= on the page must not make it load another document.
        queryConfigEnabled: false,
        // Never send the document to the public validator (only the standalone layout would).
        validatorUrl: null,
        onComplete: () => setLoaded(true),
      });
    });
    return () => {
      unmounted = true;
    };
  }, [url]);
  return (
    <>
      {!loaded && <p className="text-sm text-slate-500">Loading the API reference…</p>}
      <div ref={container} />
    </>
  );
}
