import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { WriteBackService } from '../../app/write-back-service.ts';
import { FeedbackRequest, FeedbackResponse, RunbookParams, RunbookUsage } from '../../contracts/api.ts';
import { json, NOT_FOUND, PROBLEMS } from './shared.ts';

const post = createRoute({
  method: 'post',
  path: '/runbooks/{id}/feedback',
  summary: "An agent's feedback on a runbook",
  description: 'helpful / not-helpful move the runbook for similar searches; flag (with a comment) puts it on the gap report.',
  request: { params: RunbookParams, body: { content: { 'application/json': { schema: FeedbackRequest } }, required: true } },
  responses: { 201: json(FeedbackResponse, 'Recorded'), ...NOT_FOUND, ...PROBLEMS },
});

const usage = createRoute({
  method: 'get',
  path: '/runbooks/{id}/usage',
  summary: 'How often a runbook fixed tickets, did not help, or was flagged',
  request: { params: RunbookParams },
  responses: { 200: json(RunbookUsage, 'Counters derived from stored resolutions and feedback'), ...NOT_FOUND, ...PROBLEMS },
});

export function feedbackRoutes(app: OpenAPIHono, writeBack: WriteBackService): void {
  app.openapi(post, async (c) => {
    const feedback = await writeBack.addFeedback(c.req.valid('param').id, c.req.valid('json'));
    return c.json({ id: feedback.id, runbookId: feedback.runbookId, kind: feedback.kind, at: feedback.at }, 201);
  });
  app.openapi(usage, async (c) => c.json(await writeBack.usage(c.req.valid('param').id), 200));
}
