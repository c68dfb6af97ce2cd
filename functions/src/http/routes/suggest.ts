import type { SearchService } from '../../app/search-service.ts';
import type { WriteBackService } from '../../app/write-back-service.ts';
import { SuggestAnswer, SuggestRequest } from '../../contracts/api.ts';
import { effectiveTier } from '../../core/access/scopes.ts';
import { confidenceLabel, withNote } from '../../core/suggest/note.ts';
import { identityOf } from '../access.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, PROBLEMS } from './shared.ts';

export interface SuggestOptions {
  /** The agents' web app the note links to (`KB_WEB_URL`); the API's own origin when absent (kb serve serves both). */
  webUrl?: string | undefined;
  /** Where a ticket without a good answer is recorded for the gap report; not recorded without it. */
  writeBack?: WriteBackService | undefined;
}

/** Subjects shorter than this ("hi", "?") say nothing about a missing runbook. */
const GAP_MIN_LENGTH = 4;

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
      const identity = identityOf(c);
      const requesterTier = effectiveTier(identity, ticket.requesterTier);
      const response = await search.suggest({ ...ticket, requesterTier });
      // No suggestion at medium confidence or better is a gap: the desk asked and got no good answer. It is
      // counted like a zero-result search (once per caller, within a daily allowance), in the same bounded list.
      const top = response.suggestions[0];
      const weak = !top || confidenceLabel(top.confidence) === 'low';
      if (options.writeBack && weak && ticket.subject.trim().length >= GAP_MIN_LENGTH && !ticket.category) {
        await options.writeBack.recordSearchGap(ticket.subject, requesterTier, identity.id);
      }
      return c.json(withNote(response, options.webUrl ?? new URL(c.req.url).origin), 200);
    },
  );
}
