/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Where the HTTP API lives when it is not on the page's own origin (CloudFront + API Gateway). */
  readonly VITE_API_BASE?: string;
}
