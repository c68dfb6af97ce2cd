import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { SearchService } from '../app/search-service.ts';
import type { WriteBackService } from '../app/write-back-service.ts';
import { localDeveloper } from '../core/access/identities.ts';
import { InvalidInputError, NotFoundError, UnavailableError } from '../core/errors.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';
import { type Authenticate, requireAccess } from './access.ts';
import { renderDocsPage } from './docs-page.ts';
import { limitBody, requireJsonBody, requireUtf8Query } from './guards.ts';
import { ApiRoutes } from './openapi.ts';
import { ApiError, problem } from './problem.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { healthRoutes } from './routes/health.ts';
import { resolutionRoutes } from './routes/resolutions.ts';
import { runbookRoutes } from './routes/runbooks.ts';
import { searchRoutes } from './routes/search.ts';
import { suggestRoutes } from './routes/suggest.ts';

export interface AppDeps {
  search: SearchService;
  index: RunbookIndex;
  /** Write-back, feedback and reports; without it those routes are absent (a read-only deployment). */
  writeBack?: WriteBackService;
  /**
   * Who is calling (see access.ts). Without it every caller is the local developer reading every
   * tier: only for in-process use (tests, the bench); `kb serve` and the Lambda always pass one.
   */
  authenticate?: Authenticate;
  /** Run before anything else, on every request (the local server's Host guard and headers). */
  guards?: MiddlewareHandler[];
  /** Run once the caller is known, before the request is read (rate limits). */
  limits?: MiddlewareHandler[];
  /** Request bodies above this are refused with 413. */
  maxBodyBytes?: number;
  /** Called with unexpected errors; the caller gets a bare 500. */
  logError?: (error: unknown) => void;
  /** The agents' web app that suggestion links and notes point at (`KB_WEB_URL`); the request's origin when absent. */
  webUrl?: string | undefined;
  /** Routes only one host serves (kb serve's `/events`), registered with the others so access applies to them. */
  extraRoutes?: (routes: ApiRoutes) => void;
}

/** How long a caller is told to wait after a 503: backing services' hiccups (throttling, a failover) last seconds. */
const RETRY_AFTER_SECONDS = 5;

export const API_INFO = {
  title: 'runbook-kb',
  version: '0.1.0',
  description: 'Search runbooks, get suggested fixes for tickets, and write resolutions back.',
};

/**
 * The HTTP API as a Hono app speaking web Request/Response: served by @hono/node-server locally
 * and by Hono's Lambda adapter on AWS, with no difference in behaviour.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const routes = new ApiRoutes(app);
  const logError = deps.logError ?? ((error) => console.error(error));

  for (const guard of deps.guards ?? []) app.use('*', guard);
  // Access next: nothing of a request (query, body) is read for a caller who may not make it.
  const developer = localDeveloper('infra');
  app.use('*', requireAccess(routes, deps.authenticate ?? (async () => developer)));
  for (const limit of deps.limits ?? []) app.use('*', limit);
  app.use('*', requireUtf8Query);
  app.use('*', limitBody(deps.maxBodyBytes ?? 64 * 1024));
  app.use('*', requireJsonBody);

  searchRoutes(routes, deps.search, deps.writeBack);
  suggestRoutes(routes, deps.search, { webUrl: deps.webUrl, writeBack: deps.writeBack });
  runbookRoutes(routes, deps.search);
  healthRoutes(routes, deps.index);
  if (deps.writeBack) {
    resolutionRoutes(routes, deps.writeBack);
    feedbackRoutes(routes, deps.writeBack);
    analyticsRoutes(routes, deps.writeBack);
  }
  deps.extraRoutes?.(routes);

  // Built on first request, not at cold start: most instances never serve it.
  let doc: ReturnType<ApiRoutes['document']> | undefined;
  const document = () => (doc ??= routes.document(API_INFO));
  routes.undocumented('get', '/openapi.json', (c) => c.json(document()));
  routes.undocumented('get', '/docs', (c) => c.html(renderDocsPage(document() as never)));

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = routes.methodsAt(path);
    if (allowed.length === 0) return problem(c, new ApiError(404, 'Not found', `No route for ${c.req.method} ${path}`));
    c.header('Allow', allowed.join(', '));
    return problem(c, new ApiError(405, 'Method not allowed', `${path} answers ${allowed.join(', ')}, not ${c.req.method}`));
  });
  app.onError((error, c) => {
    if (error instanceof ApiError) return problem(c, error);
    if (error instanceof NotFoundError) return problem(c, new ApiError(404, error.title, error.message));
    if (error instanceof UnavailableError) {
      logError(error);
      return problem(c, new ApiError(503, error.title, error.detail, undefined, { 'Retry-After': String(RETRY_AFTER_SECONDS) }));
    }
    if (error instanceof InvalidInputError) return problem(c, new ApiError(400, 'Invalid request', error.message, error.errors));
    if (error instanceof HTTPException && error.status < 500)
      return problem(c, new ApiError(error.status, error.message || 'Invalid request'));
    logError(error);
    return problem(c, new ApiError(500, 'Internal server error'));
  });
  return app;
}
