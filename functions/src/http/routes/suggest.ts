import type { SearchService } from '../../app/search-service.ts';
import { SuggestAnswer, SuggestRequest } from '../../contracts/api.ts';
import { effectiveTier } from '../../core/access/scopes.ts';
import { withNote } from '../../core/suggest/note.ts';
import { identityOf } from '../access.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, PROBLEMS } from './shared.ts';

export interface SuggestOptions {
  /** The agents' web app the note links to (`KB_WEB_URL`); the API's own origin when absent (kb serve serves both). */
  webUrl?: string | undefined;
}

export function suggestRoutes(routes: ApiRoutes, search: SearchService, options: SuggestOptions = {}): void {
  routes.add(
    {
      method: 'post',
      path: '/suggest',
      scope: 'search',
      summary: 'Suggest fixes for a ticket',
      description:
        'Ranked runbooks for a ticket, each at its fix section with its steps, why it matched and its web app `url`, ' +
        'whether to escalate, and a `note` ready to paste into the ticket (plain text and Markdown). ' +
        "Only runbooks the reader's tier may read are returned: the caller's tier, or a lower `requesterTier`.",
      request: { body: SuggestRequest },
      responses: { 200: json(SuggestAnswer, 'Suggestions, the escalation advice and the note'), ...PROBLEMS },
    },
    async (c, { body: { ticketId: _ticketId, source: _source, ...ticket } }) => {
      // The ticket's id and system do not change the answer: left out, so the answer cache is shared.
      const response = await search.suggest({ ...ticket, requesterTier: effectiveTier(identityOf(c), ticket.requesterTier) });
      return c.json(withNote(response, options.webUrl ?? new URL(c.req.url).origin), 200);
    },
  );
}
