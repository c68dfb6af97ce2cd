import type { SearchService } from '../../app/search-service.ts';
import { RunbookParams, RunbookQuery, RunbookResponse } from '../../contracts/api.ts';
import { effectiveTier } from '../../core/access/scopes.ts';
import { identityOf } from '../access.ts';
import type { ApiRoutes } from '../openapi.ts';
import { ApiError } from '../problem.ts';
import { json, NOT_FOUND, PROBLEMS } from './shared.ts';

export function runbookRoutes(routes: ApiRoutes, search: SearchService): void {
  routes.add(
    {
      method: 'get',
      path: '/runbooks/{id}',
      scope: 'search',
      summary: 'Get a compiled runbook',
      description:
        "Metadata, sections, fix steps and sanitized HTML. A runbook outside the reader's tier (the caller's, or a lower " +
        '`audience` it asks for) is not found.',
      request: { params: RunbookParams, query: RunbookQuery },
      responses: { 200: json(RunbookResponse, 'The runbook'), ...NOT_FOUND, ...PROBLEMS },
    },
    async (c, { params: { id }, query: { audience } }) => {
      const tier = effectiveTier(identityOf(c), audience);
      const runbook = await search.runbook(id, tier);
      // The same answer whether the runbook is missing or above the reader: its existence is not disclosed.
      if (!runbook) throw new ApiError(404, 'Runbook not found', `No runbook "${id}" for ${tier}`);
      return c.json(runbook, 200);
    },
  );
}
