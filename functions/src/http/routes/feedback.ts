import type { WriteBackService } from '../../app/write-back-service.ts';
import { FeedbackRequest, FeedbackResponse, RunbookParams, RunbookUsage } from '../../contracts/api.ts';
import { effectiveTier } from '../../core/access/scopes.ts';
import { identityOf } from '../access.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, NOT_FOUND, PROBLEMS } from './shared.ts';

export function feedbackRoutes(routes: ApiRoutes, writeBack: WriteBackService): void {
  routes.add(
    {
      method: 'post',
      path: '/runbooks/{id}/feedback',
      scope: 'feedback',
      summary: "An agent's feedback on a runbook",
      description:
        'helpful / not-helpful move the runbook for similar searches; flag (with a comment) puts it on the gap report. ' +
        'Each caller has one vote and one flag per runbook: posting again (a retry, or a change of mind) replaces it, ' +
        'so the same post sent any number of times counts once. No Idempotency-Key is needed.',
      request: { params: RunbookParams, body: FeedbackRequest },
      responses: {
        201: json(FeedbackResponse, 'Recorded'),
        200: json(FeedbackResponse, "Replaced this caller's earlier vote or flag"),
        ...NOT_FOUND,
        ...PROBLEMS,
      },
    },
    async (c, { params, body }) => {
      const identity = identityOf(c);
      const tier = effectiveTier(identity, body.tier);
      const { feedback, created } = await writeBack.addFeedback(params.id, { ...body, tier }, identity.id);
      return c.json({ id: feedback.id, runbookId: feedback.runbookId, kind: feedback.kind, at: feedback.at }, created ? 201 : 200);
    },
  );
  routes.add(
    {
      method: 'get',
      path: '/runbooks/{id}/usage',
      scope: 'search',
      summary: 'How often a runbook fixed tickets, did not help, or was flagged',
      request: { params: RunbookParams },
      responses: { 200: json(RunbookUsage, 'Counters derived from stored resolutions and feedback'), ...NOT_FOUND, ...PROBLEMS },
    },
    async (c, { params }) => c.json(await writeBack.usage(params.id), 200),
  );
}
