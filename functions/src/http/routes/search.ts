import type { SearchService } from '../../app/search-service.ts';
import type { WriteBackService } from '../../app/write-back-service.ts';
import { SearchQuery, SearchResponse } from '../../contracts/api.ts';
import { effectiveTier } from '../../core/access/scopes.ts';
import { identityOf } from '../access.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, PROBLEMS } from './shared.ts';

/** Shorter queries are usually a word still being typed, not a gap in the library. */
const GAP_MIN_LENGTH = 4;

export function searchRoutes(routes: ApiRoutes, search: SearchService, writeBack?: WriteBackService): void {
  routes.add(
    {
      method: 'get',
      path: '/search',
      scope: 'search',
      summary: 'Search runbooks',
      description:
        'Full-text search over runbook sections with facets. The text is never parsed as query syntax. Only runbooks the ' +
        "reader's tier may read are found: the caller's tier, or a lower `audience` it asks for.",
      request: { query: SearchQuery },
      responses: { 200: json(SearchResponse, 'Matching runbooks, best section first'), ...PROBLEMS },
    },
    async (c, { query: asked }) => {
      const query = { ...asked, audience: effectiveTier(identityOf(c), asked.audience) };
      const result = await search.search(query);
      // A search that finds nothing (without narrowing filters) is recorded for the gap report.
      if (writeBack && result.total === 0 && query.q.trim().length >= GAP_MIN_LENGTH && !query.tier && !query.category && !query.state) {
        await writeBack.recordSearchGap(query.q, query.audience, identityOf(c).id);
      }
      return c.json(result, 200);
    },
  );
}
