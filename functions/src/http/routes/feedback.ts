import type { WriteBackService } from '../../app/write-back-service.ts';
import { FeedbackRequest, FeedbackResponse, RunbookParams, RunbookUsage } from '../../contracts/api.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, NOT_FOUND, PROBLEMS } from './shared.ts';

export function feedbackRoutes(routes: ApiRoutes, writeBack: WriteBackService): void {
  routes.add(
    {
      method: 'post',
      path: '/runbooks/{id}/feedback',
      scope: 'feedback',
      summary: "An agent's feedback on a runbook",
      description: 'helpful / not-helpful move the runbook for similar searches; flag (with a comment) puts it on the gap report.',
      request: { params: RunbookParams, body: FeedbackRequest },
      responses: { 201: json(FeedbackResponse, 'Recorded'), ...NOT_FOUND, ...PROBLEMS },
    },
    async (c, { params, body }) => {
      const feedback = await writeBack.addFeedback(params.id, body);
      return c.json({ id: feedback.id, runbookId: feedback.runbookId, kind: feedback.kind, at: feedback.at }, 201);
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
