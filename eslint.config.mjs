// ESLint (flat config): Next.js's rules (React, hooks, accessibility, core web vitals),
// typescript-eslint's recommended rules, import hygiene, and the layering of STYLE.md checked
// on every import. Formatting is Prettier's (eslint-config-prettier turns the overlap off).
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";
import { importX, createNodeResolver } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

// Dependencies point one way: app → components, lib → db; jobs/ is the worker process only.
// A zone lists, for the folder it guards, the folders it must never import from.
const LAYERS = [
  // …but for the two pure leaves every layer shares: the enumerations and the JSON columns' shapes.
  {
    target: "./db",
    from: "./lib",
    except: ["./constants.ts", "./schemas/stored.ts"],
    message: "db/ imports nothing above it but lib/constants.ts and lib/schemas/stored.ts",
  },
  { target: "./db", from: ["./app", "./components", "./jobs", "./scripts"], message: "db/ imports nothing above it" },
  { target: "./lib", from: ["./app", "./components", "./jobs", "./scripts"], message: "lib/ imports only lib/ and db/" },
  {
    target: "./components",
    from: ["./app", "./db", "./jobs", "./scripts"],
    message: "components/ reach data through the JSON API (lib/ for types and pure helpers)",
  },
  { target: "./jobs", from: ["./app", "./components", "./scripts"], message: "the worker process is built from lib/ and db/" },
  { target: "./app", from: ["./jobs", "./scripts"], message: "the web app never starts the worker or the dev scripts" },
];

// Every SQL statement lives in db/queries/<entity>.ts: the layers above call those functions.
const SQL_IN_DB_ONLY = {
  group: ["drizzle-orm", "drizzle-orm/*", "postgres"],
  allowTypeImports: true,
  message: "write SQL in db/queries/<entity>.ts and call it from here",
};

const config = [
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      ".data/**",
      "drizzle/**",
      "test-results/**",
      "playwright-report/**",
      "bench-results/**",
      "coverage/**",
      "next-env.d.ts",
    ],
  },
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
      "import/no-duplicates": "error",
      "import/no-self-import": "error",
      "import/no-useless-path-segments": "error",
      "import/no-restricted-paths": ["error", { zones: LAYERS }],
      // Every page is dynamic with no loading boundary: a link's prefetch costs two requests per
      // page load (the route tree, then the layouts, both cut off once read) and makes no
      // navigation sooner (README, "Page figures"). A link says prefetch={false}.
      "no-restricted-syntax": [
        "error",
        {
          selector: "JSXOpeningElement[name.name='Link']:not(:has(JSXAttribute[name.name='prefetch']))",
          message: "say prefetch={false} on a Link: the pages are dynamic and a prefetch only costs requests",
        },
      ],
    },
  },
  {
    files: ["lib/**", "app/**", "components/**", "jobs/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [SQL_IN_DB_ONLY],
        },
      ],
    },
  },
  {
    // The browser's code takes only types from the API's schemas: a value imported from
    // lib/schemas brings zod and every schema of that module into the page's scripts (the
    // billing page evaluated 144 KB of it at each load for one list of field names).
    // Constants the pages need live in lib/constants.ts. (SQL_IN_DB_ONLY again: a later block's
    // options replace an earlier one's for the same rule.)
    files: ["components/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            SQL_IN_DB_ONLY,
            {
              group: ["zod", "zod/*", "@/lib/schemas/*", "@/lib/api/*"],
              allowTypeImports: true,
              message: "take types only from the schemas here; put a constant the pages need in lib/constants.ts",
            },
          ],
        },
      ],
    },
  },
  {
    // Cycles through import-x: its resolver is fast enough to follow every import (the classic
    // plugin's rule took 30 s on this tree).
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver-next": [createTypeScriptImportResolver(), createNodeResolver()],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Tests read the real handlers' JSON answers through an untyped helper: the assertions,
    // not the compiler, check their shape.
    files: ["tests/**", "e2e/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  prettier,
];

export default config;
