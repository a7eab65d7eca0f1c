// swagger-ui-dist ships JavaScript only; these are the options components/docs/api-reference.tsx
// passes (https://swagger.io/docs/open-source-tools/swagger-ui/usage/configuration/).
declare module "swagger-ui-dist/swagger-ui-es-bundle.js" {
  interface SwaggerUIOptions {
    domNode: HTMLElement;
    url: string;
    deepLinking?: boolean;
    displayOperationId?: boolean;
    filter?: boolean | string;
    queryConfigEnabled?: boolean;
    validatorUrl?: string | null;
    onComplete?: () => void;
  }
  export default function SwaggerUIBundle(options: SwaggerUIOptions): unknown;
}
