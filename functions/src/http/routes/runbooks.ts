import type { SearchService } from '../../app/search-service.ts';
import { RunbookParams, RunbookQuery, RunbookResponse } from '../../contracts/api.ts';
import type { ApiRoutes } from '../openapi.ts';
import { ApiError } from '../problem.ts';
import { json, NOT_FOUND, PROBLEMS } from './shared.ts';

export function runbookRoutes(routes: ApiRoutes, search: SearchService): void {
  routes.add(
    {
      method: 'get',
      path: '/runbooks/{id}',
      summary: 'Get a compiled runbook',
      description: 'Metadata, sections, fix steps and sanitized HTML. With `audience`, a runbook that tier may not read is not found.',
      request: { params: RunbookParams, query: RunbookQuery },
      responses: { 200: json(RunbookResponse, 'The runbook'), ...NOT_FOUND, ...PROBLEMS },
    },
    async (c, { params: { id }, query: { audience } }) => {
      const runbook = await search.runbook(id, audience);
      if (!runbook) throw new ApiError(404, 'Runbook not found', `No runbook "${id}"${audience ? ` for ${audience}` : ''}`);
      return c.json(runbook, 200);
    },
  );
}
