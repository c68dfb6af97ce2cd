import type { Context, MiddlewareHandler } from 'hono';
import { authorize } from '../core/access/authorize.ts';
import { type AgentClaims, agentIdentity } from '../core/access/identities.ts';
import type { Identity } from '../core/access/scopes.ts';
import type { ApiRoutes } from './openapi.ts';
import { ApiError } from './problem.ts';

/**
 * Establishes who is calling, from credentials only (a token, an API key, the API Gateway request
 * context, or the local developer): undefined when none were sent. Credentials that were sent but
 * are not valid throw an ApiError (401).
 */
export type Authenticate = (c: Context) => Promise<Identity | undefined>;

const IDENTITY = 'identity';

/** A verified agent without a `kb-<tier>` group is known but may read nothing: 403. */
export function agentOrRefuse(claims: AgentClaims): Identity {
  const identity = agentIdentity(claims);
  if (!identity) {
    throw new ApiError(403, 'Forbidden', `${claims.username ?? claims.sub} is in no runbook tier group (kb-l1, kb-l2, kb-l3, kb-infra)`);
  }
  return identity;
}

/**
 * Checks each request against its route's declared scope before anything reads its body. Paths and
 * methods no route serves pass through to the app's 404/405; HEAD needs what GET needs.
 */
export function requireAccess(routes: ApiRoutes, authenticate: Authenticate): MiddlewareHandler {
  return async (c, next) => {
    const route = routes.accessAt(c.req.method, new URL(c.req.url).pathname);
    if (!route || route.access === 'public') return next();
    const identity = await authenticate(c);
    const source = route.params.source === undefined ? undefined : decodeSegment(route.params.source);
    const decision = authorize(identity, route.access, source);
    if (!decision.allowed) {
      const headers = decision.status === 401 ? { 'WWW-Authenticate': 'Bearer, ApiKey header="x-api-key"' } : undefined;
      throw new ApiError(decision.status, decision.status === 401 ? 'Unauthorized' : 'Forbidden', decision.detail, undefined, headers);
    }
    c.set(IDENTITY as never, identity as never);
    await next();
  };
}

/** The caller, when the route needed one (set by requireAccess); undefined on public routes. */
export function callerOf(c: Context): Identity | undefined {
  return c.get(IDENTITY as never) as Identity | undefined;
}

/** The caller of a route that is not public (set by requireAccess). */
export function identityOf(c: Context): Identity {
  const identity = callerOf(c);
  // Only reachable if a non-public route were served without requireAccess: a bug, never a guess.
  if (!identity) throw new Error('no identity on a route that needs one');
  return identity;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
