import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { DOCS_STYLE } from './docs-page.ts';

const docsStyle = `'sha256-${createHash('sha256').update(DOCS_STYLE).digest('base64')}'`;

/**
 * What the web app may load: its own scripts and styles only (no inline script, no eval), images
 * from itself and data: URLs, API calls to itself and the sign-in issuer. Runbook HTML is
 * sanitized when compiled; this is the second line if a sanitizer ever misses something.
 */
export function contentSecurityPolicy(connect: readonly string[] = []) {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", docsStyle],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'", ...connect],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  };
}

/** The usual security headers on every response of `kb serve`, API and web app alike. */
export function securityHeaders(connect: readonly string[] = []): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: contentSecurityPolicy(connect),
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    // Served over plain HTTP on a laptop: HSTS would pin localhost to HTTPS for every other project.
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
}

/** CORS for the one web origin that is not the server itself (the Vite dev server); none for any other. */
export function webCors(origin: string): MiddlewareHandler {
  return cors({
    origin,
    allowHeaders: ['content-type', 'authorization', 'idempotency-key'],
    allowMethods: ['GET', 'POST', 'PUT'],
    maxAge: 3600,
  });
}
