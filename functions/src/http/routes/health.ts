import { HealthResponse } from '../../contracts/api.ts';
import type { RunbookIndex } from '../../ports/runbook-index.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json } from './shared.ts';

export function healthRoutes(routes: ApiRoutes, index: RunbookIndex): void {
  routes.add(
    {
      method: 'get',
      path: '/health',
      scope: 'public',
      summary: 'Liveness and index size',
      responses: { 200: json(HealthResponse, 'The service is up') },
    },
    async (c) => {
      const stats = await index.stats();
      const { runbooks, sections, withoutVectors } = stats;
      return c.json({ status: 'ok' as const, runbooks, sections, ...(withoutVectors ? { withoutVectors } : {}) }, 200);
    },
  );
}
