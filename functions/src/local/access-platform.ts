import type { MiddlewareHandler } from 'hono';
import type { DynamoDbKeyStore } from '../adapters/dynamodb/dynamodb-key-store.ts';
import { ApiKeys } from '../app/api-keys.ts';
import type { Tier } from '../core/runbook/model.ts';
import { type Authenticate, callerOf } from '../http/access.ts';
import { type OidcOptions, oidcVerifier } from '../http/jwt.ts';
import { hostGuard, isLoopback, localAuthenticator } from '../http/local-access.ts';
import { LOCAL_LIMITS, type RateLimit, rateLimit } from '../http/rate-limit.ts';
import { securityHeaders, webCors } from '../http/security-headers.ts';

export interface LocalAccessOptions {
  /** The local developer's tier on 127.0.0.1 without sign-in (default `infra`: an author previews every tier). */
  developerTier?: Tier;
  /** Agents sign in with this issuer's tokens; the local developer identity is then off. */
  oidc?: OidcOptions;
  /** Host names the server answers to besides loopback's (a reverse proxy's name). */
  allowedHosts?: string[];
  /** An origin allowed to call the API from a browser (the Vite dev server); the served web app is same-origin. */
  webOrigin?: string;
  limits?: readonly RateLimit[];
}

/** Binding elsewhere than loopback without sign-in or keys would serve every tier to the network. */
export class UnprotectedBindError extends Error {
  constructor(host: string) {
    super(
      `refusing to serve on ${host} without authentication: configure sign-in (--oidc-issuer / KB_OIDC_ISSUER) ` +
        'or create an API key (kb keys create NAME), or bind 127.0.0.1',
    );
    this.name = 'UnprotectedBindError';
  }
}

/**
 * Who may use `kb serve`, by where it listens: on loopback without sign-in, the local developer
 * (no set-up); anywhere else only signed-in agents and API keys, and it will not start without one
 * of them configured.
 */
export async function localAccess(
  host: string,
  keyStore: DynamoDbKeyStore,
  options: LocalAccessOptions = {},
): Promise<{ authenticate: Authenticate; guards: MiddlewareHandler[]; limits: MiddlewareHandler[] }> {
  const loopback = isLoopback(host);
  const keys = new ApiKeys(keyStore);
  if (!loopback && !options.oidc && (await keys.list()).length === 0) throw new UnprotectedBindError(host);
  const developerTier = loopback && !options.oidc ? (options.developerTier ?? 'infra') : undefined;
  const allowed = [...(loopback ? ['127.0.0.1', 'localhost', '[::1]', host] : []), ...(options.allowedHosts ?? [])];
  return {
    authenticate: localAuthenticator({
      identifyKey: (value) => keys.identify(value),
      ...(options.oidc ? { verifyToken: oidcVerifier(options.oidc) } : {}),
      ...(developerTier ? { developerTier } : {}),
    }),
    guards: [
      ...(allowed.length > 0 ? [hostGuard(allowed)] : []),
      securityHeaders(),
      ...(options.webOrigin ? [webCors(options.webOrigin)] : []),
    ],
    limits: (options.limits ?? LOCAL_LIMITS).map((limit) => rateLimit(limit, callerOf)),
  };
}
