import type { OpenApiDocument } from "@/lib/api/openapi";

// The OpenAPI document as a page people read: one section per operation with its parameters,
// body fields and answers. Rendered on the server from the same document /api/openapi.json
// serves, so the two cannot differ.

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  $ref?: string;
};

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

interface OperationObject {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  parameters: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

const METHOD_STYLE: Record<string, string> = {
  get: "bg-sky-100 text-sky-800",
  post: "bg-emerald-100 text-emerald-800",
  put: "bg-amber-100 text-amber-800",
  patch: "bg-violet-100 text-violet-800",
  delete: "bg-rose-100 text-rose-800",
};

/** "string", "integer 1–2147483647", "one of cold_water, hot_water", "list of …" */
function typeOf(schema: JsonSchema): string {
  if (schema.$ref) return schema.$ref.split("/").pop()!;
  if (schema.enum) return `one of ${schema.enum.map((v) => String(v)).join(", ")}`;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const kinds = schema.anyOf?.map((s) => s.type);
  if (kinds?.length === 2 && kinds.includes("string") && kinds.includes("number")) return "decimal (string or number)";
  if (schema.anyOf) {
    const nullable = schema.anyOf.some((s) => s.type === "null");
    const rest = schema.anyOf.filter((s) => s.type !== "null");
    const joined = rest.map(typeOf).join(" or ");
    return nullable ? `${joined} or null` : joined;
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const base = types.filter((t) => t !== "null");
  let text = base.join(" or ") || "any";
  if (base.includes("array") && schema.items) text = `list of ${typeOf(schema.items)}`;
  if (base.includes("string") && schema.format) text = `string (${schema.format})`;
  // A pattern says little that the description does not say better.
  else if (base.includes("string") && schema.pattern && !schema.description && schema.pattern.length <= 40)
    text = `string /${schema.pattern}/`;
  if (base.includes("integer") && schema.minimum !== undefined && schema.maximum !== undefined && schema.maximum < 1e10) {
    text = `integer ${schema.minimum}–${schema.maximum}`;
  }
  if (schema.maxLength !== undefined) text += `, ≤ ${schema.maxLength} chars`;
  if (schema.maxItems !== undefined) text += `, ${schema.minItems ?? 0}–${schema.maxItems} items`;
  if (base.includes("object") && !schema.properties && schema.additionalProperties && typeof schema.additionalProperties === "object") {
    text = `map of ${schema.propertyNames ? typeOf(schema.propertyNames) : "string"} → ${typeOf(schema.additionalProperties)}`;
  }
  return types.includes("null") ? `${text} or null` : text;
}

/** The descriptions' Markdown `code` spans, as code. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.85em] text-slate-800">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

/** An object schema's fields, nested ones as "lines[].amount". */
function fieldRows(schema: JsonSchema, prefix = "", depth = 0): FieldRow[] {
  // One of several shapes (an invoice line's details): the fields of each, once.
  const objects = schema.anyOf ? schema.anyOf.filter((s) => s.properties) : [schema];
  if (depth > 5) return [];
  const rows: FieldRow[] = [];
  for (const object of objects) {
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const path = `${prefix}${name}`;
      if (rows.some((row) => row.name === path)) continue;
      const required = objects.length === 1 && (object.required ?? []).includes(name);
      rows.push({ name: path, type: typeOf(property), required, description: property.description });
      const branches = property.anyOf?.filter((s) => s.properties) ?? [];
      const inner = branches.length > 1 ? property : (property.anyOf?.find((s) => s.properties || s.items) ?? property);
      if (inner.properties || branches.length > 1) rows.push(...fieldRows(inner, `${path}.`, depth + 1));
      else if (inner.items?.properties || inner.items?.anyOf) rows.push(...fieldRows(inner.items, `${path}[].`, depth + 1));
    }
  }
  return rows;
}

function Fields({ rows, caption }: { rows: FieldRow[]; caption: string }) {
  if (rows.length === 0) return null;
  return (
    <table className="mt-2 w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-1 pr-4 font-medium">field</th>
          <th className="py-1 pr-4 font-medium">type</th>
          <th className="py-1 font-medium">notes</th>
        </tr>
      </thead>
      <tbody className="align-top">
        {rows.map((row) => (
          <tr key={row.name} className="border-t border-slate-100">
            <td className="py-1 pr-4 font-mono text-xs text-slate-900">
              {row.name}
              {row.required ? (
                <span className="text-rose-700" title="required">
                  {" "}
                  *
                </span>
              ) : null}
            </td>
            <td className="py-1 pr-4 font-mono text-xs text-slate-600">{row.type}</td>
            <td className="py-1 text-slate-700">{row.description ? <Prose text={row.description} /> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Operation({ method, path, operation }: { method: string; path: string; operation: OperationObject }) {
  const body = operation.requestBody?.content["application/json"]?.schema;
  return (
    <section
      id={operation.operationId}
      aria-labelledby={`${operation.operationId}-title`}
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <h3 id={`${operation.operationId}-title`} className="flex flex-wrap items-baseline gap-3">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-bold uppercase ${METHOD_STYLE[method] ?? ""}`}>{method}</span>
        <code className="font-mono text-sm text-slate-900">{path}</code>
        <span className="text-base font-semibold text-slate-800">{operation.summary}</span>
      </h3>
      {operation.description.split("\n\n").map((paragraph) => (
        <p key={paragraph} className="mt-2 text-sm text-slate-700">
          <Prose text={paragraph} />
        </p>
      ))}
      {operation.parameters.length > 0 ? (
        <>
          <h4 className="mt-3 text-sm font-semibold text-slate-800">Parameters</h4>
          <Fields
            caption="Parameters"
            rows={operation.parameters.map((p) => ({
              name: `${p.name} (${p.in})`,
              type: typeOf(p.schema),
              required: p.required,
              description: p.description,
            }))}
          />
        </>
      ) : null}
      {body ? (
        <>
          <h4 className="mt-3 text-sm font-semibold text-slate-800">Request body (JSON)</h4>
          <Fields caption="Request body" rows={fieldRows(body)} />
        </>
      ) : null}
      <h4 className="mt-3 text-sm font-semibold text-slate-800">Responses</h4>
      <ul className="mt-1 space-y-1 text-sm">
        {Object.entries(operation.responses).map(([status, response]) => {
          const [type, media] = Object.entries(response.content ?? {})[0] ?? [];
          const rows = media && !media.schema.$ref ? fieldRows(media.schema) : [];
          return (
            <li key={status}>
              <span className={`font-mono font-semibold ${status.startsWith("2") ? "text-emerald-700" : "text-rose-700"}`}>{status}</span>{" "}
              <span className="text-slate-700">
                <Prose text={response.description} />
              </span>
              {type && type !== "application/json" ? <span className="text-slate-500"> ({type})</span> : null}
              {rows.length > 0 ? (
                <details className="ml-8 mt-1">
                  <summary className="cursor-pointer text-slate-600">fields</summary>
                  <Fields caption={`Response ${status}`} rows={rows} />
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function ApiReference({ document }: { document: OpenApiDocument }) {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation: operation as OperationObject })),
  );
  const tags = (document.tags ?? []).map((t) => t.name);
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-slate-900">
          {document.info.title} <span className="text-base font-normal text-slate-500">{document.info.version}</span>
        </h1>
        <p className="mt-2 max-w-3xl text-sm text-slate-700">
          <Prose text={document.info.description ?? ""} />
        </p>
        <p className="mt-2 text-sm">
          Machine-readable:{" "}
          <a className="text-brand-700 underline" href="/api/openapi.json">
            /api/openapi.json
          </a>{" "}
          (OpenAPI 3.1).
        </p>
      </header>
      <nav aria-label="Endpoints" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <ul className="grid gap-x-6 gap-y-1 sm:grid-cols-2 lg:grid-cols-3">
          {operations.map(({ method, operation }) => (
            <li key={operation.operationId}>
              <a className="hover:text-brand-700" href={`#${operation.operationId}`}>
                <span className="inline-block w-14 font-mono text-xs uppercase text-slate-500">{method}</span>
                {operation.summary}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`tag-${tag}`} className="space-y-3">
          <h2 id={`tag-${tag}`} className="text-xl font-semibold text-slate-900">
            {tag}
          </h2>
          {operations
            .filter(({ operation }) => operation.tags.includes(tag))
            .map(({ path, method, operation }) => (
              <Operation key={operation.operationId} path={path} method={method} operation={operation} />
            ))}
        </section>
      ))}
    </div>
  );
}
