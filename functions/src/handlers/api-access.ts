import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type { ApiClient } from '../contracts/clients.ts';
import { clientIdentity } from '../core/access/identities.ts';
import { type Authenticate, agentOrRefuse } from '../http/access.ts';
import { bearerToken, groupsOf, type VerifyToken } from '../http/jwt.ts';

type LambdaBindings = { Bindings: { event?: APIGatewayProxyEvent } };

/**
 * Who is calling, from what API Gateway established: the claims its Cognito authorizer verified
 * (an agent), or the id of the API key it checked (a ticket system, whose scopes and tier are in
 * `KB_API_CLIENTS`). A bearer token on a route without the authorizer is verified here, when an
 * issuer is configured. Which routes need which scope is declared once, on the routes.
 */
export function gatewayAuthenticator(clients: readonly (ApiClient & { keyId: string })[], verifyToken?: VerifyToken): Authenticate {
  const byKeyId = new Map(clients.map((client) => [client.keyId, clientIdentity(client)]));
  return async (c: Context) => {
    const context = (c.env as LambdaBindings['Bindings'] | undefined)?.event?.requestContext;
    const claims = context?.authorizer?.claims as Record<string, unknown> | undefined;
    if (claims && typeof claims.sub === 'string') {
      const username = claims['cognito:username'] ?? claims.email;
      return agentOrRefuse({ sub: claims.sub, ...(typeof username === 'string' ? { username } : {}), groups: groupsOf(claims) });
    }
    const token = bearerToken(c.req.header('authorization'));
    if (token && verifyToken) return agentOrRefuse(await verifyToken(token));
    const keyId = context?.identity?.apiKeyId;
    return keyId ? byKeyId.get(keyId) : undefined;
  };
}

export interface EdgeOptions {
  /** The web app's origin (`https://dxxxx.cloudfront.net`), the only one browsers may call from. */
  webOrigin: string;
  /** Runs before each request (refreshing the synonyms and escalation queues); its failure must not fail the request. */
  beforeEach?: () => Promise<void>;
}

/**
 * The Lambda's edge around the app: CORS headers on every response for the web origin (API
 * Gateway answers preflights itself), then the app, which checks access itself.
 */
export function withEdge(
  app: { fetch: (request: Request, env?: object) => Response | Promise<Response> },
  options: EdgeOptions,
): Hono<LambdaBindings> {
  const edge = new Hono<LambdaBindings>();
  edge.use(
    '*',
    cors({
      origin: options.webOrigin,
      allowHeaders: ['content-type', 'authorization', 'x-api-key'],
      allowMethods: ['GET', 'POST', 'PUT'],
      maxAge: 3600,
    }),
  );
  edge.all('*', async (c) => {
    await options.beforeEach?.();
    return app.fetch(c.req.raw, c.env);
  });
  return edge;
}
