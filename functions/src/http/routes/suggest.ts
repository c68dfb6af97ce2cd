import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { SearchService } from '../../app/search-service.ts';
import { SuggestRequest, SuggestResponse } from '../../contracts/api.ts';
import { json, PROBLEMS } from './shared.ts';

const route = createRoute({
  method: 'post',
  path: '/suggest',
  summary: 'Suggest fixes for a ticket',
  description:
    'Ranked runbooks for a ticket, each at its fix section with its steps and why it matched, and whether to escalate. ' +
    'With `requesterTier`, only runbooks that tier may read are returned.',
  request: { body: { content: { 'application/json': { schema: SuggestRequest } }, required: true } },
  responses: { 200: json(SuggestResponse, 'Suggestions and the escalation advice'), ...PROBLEMS },
});

export function suggestRoutes(app: OpenAPIHono, search: SearchService): void {
  app.openapi(route, async (c) => c.json(await search.suggest(c.req.valid('json')), 200));
}
