import type { SearchService } from '../../app/search-service.ts';
import type { WriteBackService } from '../../app/write-back-service.ts';
import { type SearchHit, SearchQuery, SearchResponse } from '../../contracts/api.ts';
import { effectiveTier } from '../../core/access/scopes.ts';
import { identityOf } from '../access.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, PROBLEMS } from './shared.ts';

/** Shorter queries are usually a word still being typed, not a gap in the library. */
const GAP_MIN_LENGTH = 4;

/**
 * Whether a search found no good answer: nothing at all, or only weak matches. Weak-only is read on
 * the first page (a later page was recorded with the first; weak hits are listed only when nothing
 * stronger matched, or after the stronger ones with `all=true`), and only for two words or more:
 * search runs as the agent types, and one word being typed ("outl", "passw") matches every Outlook
 * or password runbook weakly until it is whole. The gap report drops a search typed on the way to
 * a longer one (core/resolutions/gaps.ts).
 *
 * @example noGoodMatch({ total: 2, hits: [{ strength: 'weak' }, { strength: 'weak' }] }, { q: 'franking machine jams', offset: 0 }) // true
 */
export function noGoodMatch(
  result: { total: number; hits: readonly Pick<SearchHit, 'strength'>[] },
  query: Pick<SearchQuery, 'q' | 'offset'>,
): boolean {
  if (result.total === 0) return true;
  const words = query.q.trim().split(/\s+/).length;
  return words >= 2 && query.offset === 0 && result.hits.length > 0 && result.hits.every((h) => h.strength === 'weak');
}

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
      // A search that finds nothing, or only weak matches, (without narrowing filters) is recorded for the gap
      // report like a weak /suggest answer: once per caller, within the caller's daily allowance.
      if (
        writeBack &&
        noGoodMatch(result, query) &&
        query.q.trim().length >= GAP_MIN_LENGTH &&
        !query.tier &&
        !query.category &&
        !query.state
      ) {
        await writeBack.recordSearchGap(query.q, query.audience, identityOf(c).id);
      }
      return c.json(result, 200);
    },
  );
}
