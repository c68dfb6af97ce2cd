import type { Context, MiddlewareHandler } from 'hono';
import { localDeveloper } from '../core/access/identities.ts';
import type { Identity } from '../core/access/scopes.ts';
import type { Tier } from '../core/runbook/model.ts';
import { type Authenticate, agentOrRefuse } from './access.ts';
import { bearerToken, type VerifyToken } from './jwt.ts';
import { ApiError } from './problem.ts';

export interface LocalAuthOptions {
  /** Agents' tokens, when an OIDC issuer is configured. */
  verifyToken?: VerifyToken;
  /** Ticket systems' keys (`kb keys`): the identity of a presented value. */
  identifyKey?: (value: string) => Promise<Identity | undefined>;
  /** Callers without credentials are this local developer (127.0.0.1 without sign-in configured). */
  developerTier?: Tier;
}

/**
 * `kb serve`'s authentication: a bearer token (verified against the issuer), else an API key, else
 * — only on 127.0.0.1 without sign-in — the local developer. The developer's identity needs no
 * credentials, so a web page in the same browser could otherwise use it: requests a browser marks
 * as coming from another site are refused it (CSRF; DNS rebinding is the Host guard's job).
 */
export function localAuthenticator(options: LocalAuthOptions): Authenticate {
  const developer = options.developerTier ? localDeveloper(options.developerTier) : undefined;
  return async (c: Context) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token) {
      if (!options.verifyToken)
        throw new ApiError(401, 'Unauthorized', 'This server has no sign-in configured; it accepts no bearer tokens');
      return agentOrRefuse(await options.verifyToken(token));
    }
    const key = c.req.header('x-api-key');
    if (key !== undefined) {
      const identity = await options.identifyKey?.(key);
      if (!identity) throw new ApiError(401, 'Unauthorized', 'The API key is not valid (unknown or revoked)');
      return identity;
    }
    if (!developer) return undefined;
    if (crossSite(c)) {
      throw new ApiError(403, 'Forbidden', 'A request from another site cannot act as the local developer; send a token or an API key');
    }
    return developer;
  };
}

/** Did a browser send this on behalf of another site? (`Sec-Fetch-Site`, else an `Origin` not this server's.) */
function crossSite(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = c.req.header('origin');
  return origin !== undefined && origin !== new URL(c.req.url).origin;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * DNS rebinding: a site can point its own name at 127.0.0.1 and so reach a local server from a
 * browser. The server answers only the names it is known by (`allowed`: host names, any port).
 */
export function hostGuard(allowed: readonly string[]): MiddlewareHandler {
  const names = new Set(allowed.map((h) => h.toLowerCase()));
  return async (c, next) => {
    const host = c.req.header('host') ?? '';
    const name = host.replace(/:\d+$/, '').toLowerCase();
    if (!names.has(name)) {
      throw new ApiError(421, 'Misdirected request', `This server does not answer for the host "${host.slice(0, 100)}"`);
    }
    await next();
  };
}
