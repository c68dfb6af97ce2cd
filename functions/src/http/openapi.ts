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
  request?: { params?: P; query?: Q; body?: B };
  responses: ZodOpenApiResponsesObject;
}

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
  /** Each path's pattern and methods, to answer 405 with `Allow` for a known path. */
  readonly #methods = new Map<string, { pattern: RegExp; methods: string[] }>();

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
      responses: spec.responses,
    };
    this.#paths[spec.path] = { ...this.#paths[spec.path], [spec.method]: operation };
    this.#record(spec.method, spec.path);
  }

  /** A route outside the document (the document itself, the docs page): served, and known for 405s. */
  undocumented(method: 'get', path: string, handler: (c: Context) => Response | Promise<Response>): void {
    this.app.on(method.toUpperCase(), [path], handler);
    this.#record(method, path);
  }

  #record(method: string, path: string): void {
    const entry = this.#methods.get(path) ?? { pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`), methods: [] };
    entry.methods.push(method.toUpperCase());
    this.#methods.set(path, entry);
  }

  /** The methods served at a concrete path (HEAD wherever GET is); none when no route has this path. */
  methodsAt(pathname: string): string[] {
    const methods = [...this.#methods.values()].filter((e) => e.pattern.test(pathname)).flatMap((e) => e.methods);
    return methods.includes('GET') ? [...methods, 'HEAD'] : methods;
  }

  /** The OpenAPI 3.1 document of every route added so far. */
  document(info: ZodOpenApiObject['info']): ReturnType<typeof createDocument> {
    return createDocument({ openapi: '3.1.0', info, paths: this.#paths });
  }
}
