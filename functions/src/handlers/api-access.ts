import type { APIGatewayProxyEvent } from 'aws-lambda';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ApiError, problem } from '../http/problem.ts';

/**
 * What an API key may do. API Gateway checks that a key is valid and applies its usage plan
 * (throttling, quota); which routes it may call is checked here, from the key id API Gateway
 * passes in the request context.
 * - `search`: search, suggest, read runbooks and their usage
 * - `feedback`: an agent's helpful / not-helpful / flag
 * - `resolve`: write and read ticket resolutions, only under the client's own sources
 * - `admin`: the gap report and the dead letters
 */
export const SCOPES = ['search', 'feedback', 'resolve', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiClient {
  /** The API Gateway API key id (not its value). */
  keyId: string;
  /** The ticket system or app: `jira`, `servicenow`, `web`… */
  name: string;
  scopes: Scope[];
  /** `{source}`s this client may write resolutions under; its name when absent. */
  sources?: string[];
}

type Rule = { method: string; path: RegExp; scope: Scope | 'public' };

/** Every route of the Hono app and what it needs; test/infra checks this against the app's OpenAPI document. */
export const ROUTE_SCOPES: readonly Rule[] = [
  { method: 'GET', path: /^\/health$/, scope: 'public' },
  { method: 'GET', path: /^\/openapi\.json$/, scope: 'public' },
  { method: 'GET', path: /^\/docs$/, scope: 'public' },
  { method: 'GET', path: /^\/search$/, scope: 'search' },
  { method: 'POST', path: /^\/suggest$/, scope: 'search' },
  { method: 'GET', path: /^\/runbooks\/[^/]+$/, scope: 'search' },
  { method: 'GET', path: /^\/runbooks\/[^/]+\/usage$/, scope: 'search' },
  { method: 'POST', path: /^\/runbooks\/[^/]+\/feedback$/, scope: 'feedback' },
  { method: 'GET', path: /^\/tickets\/[^/]+\/[^/]+\/resolution$/, scope: 'resolve' },
  { method: 'PUT', path: /^\/tickets\/[^/]+\/[^/]+\/resolution$/, scope: 'resolve' },
  { method: 'POST', path: /^\/tickets\/[^/]+\/resolutions$/, scope: 'resolve' },
  { method: 'GET', path: /^\/analytics\/gaps$/, scope: 'admin' },
  { method: 'GET', path: /^\/admin\/dead-letters$/, scope: 'admin' },
  { method: 'POST', path: /^\/admin\/dead-letters\/replay$/, scope: 'admin' },
];

export type Decision = { allowed: true; client?: string } | { allowed: false; status: 401 | 403; detail: string };

/** May the client with this key id call `method path`? Routes not listed are left to the app (404/405). */
export function authorize(clients: readonly ApiClient[], keyId: string | undefined, method: string, path: string): Decision {
  const rule = ROUTE_SCOPES.find((r) => r.method === method && r.path.test(path));
  if (!rule || rule.scope === 'public') return { allowed: true };
  const client = keyId ? clients.find((c) => c.keyId === keyId) : undefined;
  if (!client) return { allowed: false, status: 401, detail: 'Send a valid API key in the x-api-key header' };
  if (!client.scopes.includes(rule.scope)) {
    return { allowed: false, status: 403, detail: `The ${client.name} key lacks the ${rule.scope} scope` };
  }
  if (rule.scope === 'resolve') {
    const source = decodeURIComponent(path.split('/')[2] ?? '');
    if (!(client.sources ?? [client.name]).includes(source)) {
      return { allowed: false, status: 403, detail: `The ${client.name} key may not act for source "${source}"` };
    }
  }
  return { allowed: true, client: client.name };
}

/** Reads `KB_API_CLIENTS` (a JSON array of ApiClient); a malformed value fails the cold start. */
export function parseClients(json: string): ApiClient[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) throw new Error('KB_API_CLIENTS must be a JSON array');
  return value.map((c: Partial<ApiClient>) => {
    if (typeof c.keyId !== 'string' || typeof c.name !== 'string' || !Array.isArray(c.scopes)) {
      throw new Error('each KB_API_CLIENTS entry needs keyId, name and scopes');
    }
    const unknown = c.scopes.filter((s) => !SCOPES.includes(s));
    if (unknown.length > 0) throw new Error(`unknown scopes in KB_API_CLIENTS: ${unknown.join(', ')}`);
    return { keyId: c.keyId, name: c.name, scopes: c.scopes, ...(c.sources ? { sources: c.sources } : {}) };
  });
}

type LambdaBindings = { Bindings: { event?: APIGatewayProxyEvent } };

/** Checks the caller's scopes from the key id API Gateway put in the request context. */
export function requireScopes(clients: readonly ApiClient[]): MiddlewareHandler<LambdaBindings> {
  return async (c, next) => {
    const keyId = c.env?.event?.requestContext?.identity?.apiKeyId ?? undefined;
    const decision = authorize(clients, keyId, c.req.method, c.req.path);
    if (!decision.allowed)
      return problem(c, new ApiError(decision.status, decision.status === 401 ? 'Unauthorized' : 'Forbidden', decision.detail));
    await next();
  };
}

export interface EdgeOptions {
  clients: readonly ApiClient[];
  /** The web app's origin (`https://dxxxx.cloudfront.net`), the only one browsers may call from. */
  webOrigin: string;
  /** Runs before each request (refreshing the synonyms); its failure must not fail the request. */
  beforeEach?: () => Promise<void>;
}

/**
 * The Lambda's edge around the app: CORS headers on every response for the web origin (API
 * Gateway answers preflights itself), then the scope check, then the app unchanged.
 */
export function withEdge(
  app: { fetch: (request: Request, env?: object) => Response | Promise<Response> },
  options: EdgeOptions,
): Hono<LambdaBindings> {
  const edge = new Hono<LambdaBindings>();
  edge.use(
    '*',
    cors({ origin: options.webOrigin, allowHeaders: ['content-type', 'x-api-key'], allowMethods: ['GET', 'POST', 'PUT'], maxAge: 3600 }),
  );
  edge.use('*', requireScopes(options.clients));
  edge.all('*', async (c) => {
    await options.beforeEach?.();
    return app.fetch(c.req.raw, c.env);
  });
  return edge;
}
