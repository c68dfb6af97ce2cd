import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { HealthResponse } from '../../contracts/api.ts';
import type { RunbookIndex } from '../../ports/runbook-index.ts';
import { json } from './shared.ts';

const route = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness and index size',
  responses: { 200: json(HealthResponse, 'The service is up') },
});

export function healthRoutes(app: OpenAPIHono, index: RunbookIndex): void {
  app.openapi(route, async (c) => {
    const stats = await index.stats();
    return c.json({ status: 'ok' as const, runbooks: stats.runbooks, sections: stats.sections }, 200);
  });
}
