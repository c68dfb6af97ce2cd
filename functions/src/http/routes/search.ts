import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { SearchService } from '../../app/search-service.ts';
import { SearchQuery, SearchResponse } from '../../contracts/api.ts';
import { json, PROBLEMS } from './shared.ts';

const route = createRoute({
  method: 'get',
  path: '/search',
  summary: 'Search runbooks',
  description: 'Full-text search over runbook sections with facets. The text is never parsed as query syntax.',
  request: { query: SearchQuery },
  responses: { 200: json(SearchResponse, 'Matching runbooks, best section first'), ...PROBLEMS },
});

export function searchRoutes(app: OpenAPIHono, search: SearchService): void {
  app.openapi(route, async (c) => c.json(await search.search(c.req.valid('query')), 200));
}
