import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asTicket, evaluate } from '../cli/commands/eval.ts';
import type { LabelledQuery } from '../core/search/metrics.ts';
import { startEmbeddedSearch } from '../local/embedded-platform.ts';
import { startLocalWriteBack } from '../local/write-back-platform.ts';
import { round } from './stats.ts';
import { withClients, writeBackLoad } from './write-back-load.ts';

/** PUT throughput of a running server: `total` write-backs (30% replays) from 20 clients. */
export async function writeBackThroughput(url: string, total: number) {
  const load = writeBackLoad(total, 0.3, 3);
  let failures = 0;
  const started = performance.now();
  await withClients(load, 20, async (r) => {
    const response = await fetch(`${url}/tickets/bench/${r.ticketId}/resolution`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(r.body),
    });
    await response.arrayBuffer();
    if (!response.ok) failures++;
  });
  const seconds = (performance.now() - started) / 1000;
  return { writes: total, seconds: round(seconds), writesPerSecond: Math.round(total / seconds), failures };
}

/**
 * The learning loop's gain: write back the tickets of every other labelled query as resolved by
 * its relevant runbook, then measure the other half before and after. Returns both reports.
 */
export async function learningGain(contentDir: string, queriesFile: string, prefix: string) {
  const queries = (await readFile(queriesFile, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LabelledQuery);
  const writeBack = await startLocalWriteBack(undefined);
  try {
    const platform = await startEmbeddedSearch(contentDir, { learning: writeBack.learning });
    const service = writeBack.service(platform.index, () => platform.search.invalidate());
    const idByPath = new Map(platform.library.runbooks.map((r) => [r.path, r.id]));
    const train = queries.filter((_, i) => i % 2 === 0);
    const test = queries.filter((_, i) => i % 2 === 1);
    const suggest = (r: Parameters<typeof platform.search.suggest>[0]) => platform.search.suggest(r);
    const before = (await evaluate(test, suggest, prefix)).report;
    let written = 0;
    for (const [i, q] of train.entries()) {
      const runbookId = idByPath.get((q.relevant[0] ?? '').slice(prefix.length));
      if (!runbookId) continue;
      const { subject, description } = asTicket(q.query);
      await service.putResolution('bench', `T-${i}`, {
        runbookId,
        outcome: 'resolved',
        summary: subject.slice(0, 500),
        resolution: (description ?? subject).slice(0, 2000),
        closedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      });
      written++;
    }
    const after = (await evaluate(test, suggest, prefix)).report;
    return { written, measured: test.length, before, after, gainMrr10: round(after.mrr10 - before.mrr10, 3) };
  } finally {
    await writeBack.close();
  }
}

export const LEARNING_SETS = (alertsDir: string) => [
  { name: 'alerts', content: join(alertsDir, 'corpus'), queries: join(alertsDir, 'queries.jsonl'), prefix: 'corpus/' },
  { name: 'starter', content: 'content', queries: 'test/relevance/starter-queries.jsonl', prefix: '' },
  // Pairs of users describing one problem in everyday words: the earlier ticket of each pair is
  // written back, the later one measured (the case the learning loop is for).
  { name: 'vague-pairs', content: 'content', queries: 'test/relevance/vague-tickets.jsonl', prefix: '' },
  // Forty everyday tickets over forty runbooks, written on 2026-12-05 without sight of the system's
  // answers or of the sets above, to check that what the vague set taught carries over.
  { name: 'everyday', content: 'content', queries: 'test/relevance/everyday-tickets.jsonl', prefix: '' },
];
