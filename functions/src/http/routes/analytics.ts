import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { WriteBackService } from '../../app/write-back-service.ts';
import { DeadLetterList, GapReport, ReplayResult } from '../../contracts/api.ts';
import { json, PROBLEMS } from './shared.ts';

const gaps = createRoute({
  method: 'get',
  path: '/analytics/gaps',
  summary: 'Knowledge gaps',
  description:
    'Zero-result searches and tickets closed without a runbook (grouped by similarity and category), problem runbooks, link rate and reuse.',
  responses: { 200: json(GapReport, 'The report'), ...PROBLEMS },
});

const deadLetters = createRoute({
  method: 'get',
  path: '/admin/dead-letters',
  summary: 'Change events the resolution indexer could not apply',
  responses: { 200: json(DeadLetterList, 'Dead letters, oldest first'), ...PROBLEMS },
});

const replay = createRoute({
  method: 'post',
  path: '/admin/dead-letters/replay',
  summary: 'Apply dead-lettered events again',
  responses: { 200: json(ReplayResult, 'How many were applied and removed, and how many failed again'), ...PROBLEMS },
});

export function analyticsRoutes(app: OpenAPIHono, writeBack: WriteBackService): void {
  app.openapi(gaps, async (c) => c.json(await writeBack.gapReport(), 200));
  app.openapi(deadLetters, async (c) => {
    const letters = await writeBack.deadLetters();
    return c.json({ deadLetters: letters.map(({ id, at, error, attempts }) => ({ id, at, error, attempts })) }, 200);
  });
  app.openapi(replay, async (c) => c.json(await writeBack.replayDeadLetters(), 200));
}
