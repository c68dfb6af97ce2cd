import { zValidator } from '@hono/zod-validator';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type * as z from 'zod';
import {
  createDocument,
  type ZodOpenApiObject,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { Problem } from '../contracts/api.ts';
import type { RouteAccess } from '../core/access/scopes.ts';
import { validationHook } from './validation.ts';

type Schema = z.ZodType | undefined;
/** Path and query parameters are objects: each property is one parameter. */
type Params = z.ZodObject | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** One operation: its contract (validated on the way in, documented at /openapi.json) and where it lives. */
export interface RouteSpec<P extends Params, Q extends Params, B extends Schema> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI form, `/runbooks/{id}`. */
  path: string;
  summary: string;
  description?: string;
  /**
   * What a caller needs: the one declaration of this route's access, enforced by the app (so by
   * `kb serve` and the Lambda alike) and stated in the OpenAPI document.
   */
  scope: RouteAccess;
  request?: { params?: P; query?: Q; body?: B };
  responses: ZodOpenApiResponsesObject;
}

/**
 * How callers prove who they are: agents with a token from the organisation's sign-in (Cognito
 * on AWS, any OIDC issuer self-hosted), ticket systems with an API key. On 127.0.0.1 with neither
 * configured, `kb serve` treats callers as the local developer.
 */
const SECURITY_SCHEMES = {
  apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: "A ticket system's key (API Gateway key, or `kb keys create`)" },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "An agent's access or ID token; its `kb-<tier>` group sets the tier",
  },
} as const;

/** Either scheme may carry any scope: which scopes an identity holds is configuration, not the scheme. */
const AUTHENTICATED = [{ apiKey: [] }, { bearer: [] }];

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: Problem } }, description });
const ACCESS_PROBLEMS = {
  401: problem('No valid token or API key'),
  403: problem('The caller lacks the scope, or the source, this route needs'),
  429: problem('Too many requests from this caller; `Retry-After` says when to try again'),
};

/** What a handler receives: the validated (and transformed) parts of the request. */
export interface Valid<P extends Params, Q extends Params, B extends Schema> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

/**
 * Registers routes on a Hono app from their zod contracts and keeps the OpenAPI 3.1 document of
 * what it registered. The document is built by zod-openapi from zod's own `.meta()`, so the
 * bundle carries only the zod it uses (a library that extends the `z` namespace keeps all of it,
 * 40 locales included).
 */
export class ApiRoutes {
  readonly #paths: ZodOpenApiPathsObject = {};
  /** Each path's pattern and its methods with what they need: for access checks and 405 with `Allow`. */
  readonly #methods = new Map<string, { pattern: RegExp; methods: Map<string, RouteAccess> }>();

  constructor(readonly app: Hono) {}

  add<P extends Params = undefined, Q extends Params = undefined, B extends Schema = undefined>(
    spec: RouteSpec<P, Q, B>,
    handler: (c: Context, input: Valid<P, Q, B>) => Response | Promise<Response>,
  ): void {
    const { params, query, body } = spec.request ?? {};
    const validators: MiddlewareHandler[] = [];
    if (params) validators.push(zValidator('param', params, validationHook));
    if (query) validators.push(zValidator('query', query, validationHook));
    if (body) validators.push(zValidator('json', body, validationHook));
    this.app.on(spec.method.toUpperCase(), [spec.path.replace(/\{(\w+)\}/g, ':$1')], ...validators, (c) => {
      const valid = (target: 'param' | 'query' | 'json'): unknown => c.req.valid(target as never);
      return handler(c, {
        params: (params ? valid('param') : undefined) as Out<P>,
        query: (query ? valid('query') : undefined) as Out<Q>,
        body: (body ? valid('json') : undefined) as Out<B>,
      });
    });
    const operation: ZodOpenApiOperationObject = {
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      ...(params || query ? { requestParams: { ...(params ? { path: params } : {}), ...(query ? { query } : {}) } } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      ...(spec.scope === 'public' ? { security: [] } : { security: AUTHENTICATED, 'x-scope': spec.scope }),
      responses: spec.scope === 'public' ? spec.responses : { ...spec.responses, ...ACCESS_PROBLEMS },
    };
    this.#paths[spec.path] = { ...this.#paths[spec.path], [spec.method]: operation };
    this.#record(spec.method, spec.path, spec.scope);
  }

  /** A public route outside the document (the document itself, the docs page): served, and known for 405s. */
  undocumented(method: 'get', path: string, handler: (c: Context) => Response | Promise<Response>): void {
    this.app.on(method.toUpperCase(), [path], handler);
    this.#record(method, path, 'public');
  }

  #record(method: string, path: string, access: RouteAccess): void {
    const pattern = new RegExp(`^${path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
    const entry = this.#methods.get(path) ?? { pattern, methods: new Map() };
    entry.methods.set(method.toUpperCase(), access);
    this.#methods.set(path, entry);
  }

  /** The methods served at a concrete path (HEAD wherever GET is); none when no route has this path. */
  methodsAt(pathname: string): string[] {
    const methods = [...this.#methods.values()].filter((e) => e.pattern.test(pathname)).flatMap((e) => [...e.methods.keys()]);
    return methods.includes('GET') ? [...methods, 'HEAD'] : methods;
  }

  /**
   * What `method pathname` needs and its path parameters (still percent-encoded), or undefined
   * when no route serves it (the app then answers 404 or 405). HEAD needs what GET needs.
   */
  accessAt(method: string, pathname: string): { access: RouteAccess; params: Record<string, string> } | undefined {
    const wanted = method === 'HEAD' ? 'GET' : method;
    for (const entry of this.#methods.values()) {
      const access = entry.methods.get(wanted);
      const match = access ? entry.pattern.exec(pathname) : null;
      if (access && match) return { access, params: { ...match.groups } };
    }
    return undefined;
  }

  /** The OpenAPI 3.1 document of every route added so far. */
  document(info: ZodOpenApiObject['info']): ReturnType<typeof createDocument> {
    return createDocument({ openapi: '3.1.0', info, paths: this.#paths, components: { securitySchemes: SECURITY_SCHEMES } });
  }
}
