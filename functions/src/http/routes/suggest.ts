import type { SearchService } from '../../app/search-service.ts';
import { SuggestRequest, SuggestResponse } from '../../contracts/api.ts';
import { effectiveTier } from '../../core/access/scopes.ts';
import { identityOf } from '../access.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, PROBLEMS } from './shared.ts';

export function suggestRoutes(routes: ApiRoutes, search: SearchService): void {
  routes.add(
    {
      method: 'post',
      path: '/suggest',
      scope: 'search',
      summary: 'Suggest fixes for a ticket',
      description:
        'Ranked runbooks for a ticket, each at its fix section with its steps and why it matched, and whether to escalate. ' +
        "Only runbooks the reader's tier may read are returned: the caller's tier, or a lower `requesterTier`.",
      request: { body: SuggestRequest },
      responses: { 200: json(SuggestResponse, 'Suggestions and the escalation advice'), ...PROBLEMS },
    },
    async (c, { body }) => c.json(await search.suggest({ ...body, requesterTier: effectiveTier(identityOf(c), body.requesterTier) }), 200),
  );
}
