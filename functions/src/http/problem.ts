import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Problem } from '../contracts/api.ts';

/** A failure whose message is safe to show to the caller: it becomes an RFC 9457 problem. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: Problem['errors'],
    /** Sent with the problem: `WWW-Authenticate` with a 401, `Retry-After` with a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'ApiError';
  }
}

const TYPES: Partial<Record<number, string>> = {
  400: 'https://runbook-kb.dev/problems/invalid-request',
  404: 'https://runbook-kb.dev/problems/not-found',
  405: 'https://runbook-kb.dev/problems/method-not-allowed',
  401: 'https://runbook-kb.dev/problems/unauthorized',
  403: 'https://runbook-kb.dev/problems/forbidden',
  409: 'https://runbook-kb.dev/problems/conflict',
  413: 'https://runbook-kb.dev/problems/too-large',
  415: 'https://runbook-kb.dev/problems/unsupported-media-type',
  421: 'https://runbook-kb.dev/problems/misdirected-request',
  429: 'https://runbook-kb.dev/problems/too-many-requests',
  500: 'about:blank',
};

export function problemBody(status: number, title: string, detail?: string, errors?: Problem['errors'], instance?: string): Problem {
  return {
    type: TYPES[status] ?? 'about:blank',
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function problem(c: Context, error: ApiError): Response {
  const body = problemBody(error.status, error.title, error.detail, error.errors, new URL(c.req.url).pathname);
  return c.body(JSON.stringify(body), error.status, { ...error.headers, 'content-type': 'application/problem+json' });
}
