import type { WriteBackService } from '../../app/write-back-service.ts';
import { DeadLetterList, GapReport, ReplayResult } from '../../contracts/api.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, PROBLEMS } from './shared.ts';

/** The report is for people deciding what to write next: seconds-old data is as good, and a client polling it costs one build. */
const REPORT_TTL_MS = 5_000;

export function analyticsRoutes(routes: ApiRoutes, writeBack: WriteBackService): void {
  let cached: { until: number; report: ReturnType<WriteBackService['gapReport']> } | undefined;
  const gapReport = () => {
    const now = performance.now();
    if (!cached || cached.until <= now) {
      const report = writeBack.gapReport();
      cached = { until: now + REPORT_TTL_MS, report };
      // A failed build is not remembered: the next request tries again.
      report.catch(() => {
        if (cached?.report === report) cached = undefined;
      });
    }
    return cached.report;
  };
  routes.add(
    {
      method: 'get',
      path: '/analytics/gaps',
      summary: 'Knowledge gaps',
      scope: 'admin',
      description:
        'Zero-result searches and tickets closed without a runbook (grouped by similarity and category), problem runbooks, link rate and reuse.',
      responses: { 200: json(GapReport, 'The report'), ...PROBLEMS },
    },
    async (c) => c.json(await gapReport(), 200),
  );
  routes.add(
    {
      method: 'get',
      path: '/admin/dead-letters',
      scope: 'admin',
      summary: 'Change events the resolution indexer could not apply',
      responses: { 200: json(DeadLetterList, 'Dead letters, oldest first'), ...PROBLEMS },
    },
    async (c) => {
      const letters = await writeBack.deadLetters();
      return c.json({ deadLetters: letters.map(({ id, at, error, attempts }) => ({ id, at, error, attempts })) }, 200);
    },
  );
  routes.add(
    {
      method: 'post',
      path: '/admin/dead-letters/replay',
      scope: 'admin',
      summary: 'Apply dead-lettered events again',
      responses: { 200: json(ReplayResult, 'How many were applied and removed, and how many failed again'), ...PROBLEMS },
    },
    async (c) => c.json(await writeBack.replayDeadLetters(), 200),
  );
}
