import type { Feedback, Resolution, SearchGap, Signal } from '../../core/resolutions/model.ts';
import { instant, signalOfFeedback, signalOfResolution } from '../../core/resolutions/model.ts';
import type { DeadLetter } from '../../ports/resolution-store.ts';

/** Stored items and their mapping to the domain: the only place that knows the key layout. */
export type Item = Record<string, unknown>;

export const resolutionKey = (source: string, ticketId: string) => ({ pk: `TICKET#${source}#${ticketId}`, sk: 'RESOLUTION' });

export function resolutionItem(r: Resolution): Item {
  return {
    ...resolutionKey(r.source, r.ticketId),
    type: 'resolution',
    gsi1pk: r.runbookId ? `RUNBOOK#${r.runbookId}` : 'NO-RUNBOOK',
    gsi1sk: `${r.closedAt}#${r.source}#${r.ticketId}`,
    closedAtMs: instant(r.closedAt),
    ...r,
  };
}

const RESOLUTION_FIELDS = [
  'source',
  'ticketId',
  'runbookId',
  'outcome',
  'summary',
  'resolution',
  'category',
  'tier',
  'resolvedBy',
  'closedAt',
  'receivedAt',
] as const;

export function pick(item: Item, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (item[f] !== undefined && item[f] !== null) out[f] = item[f];
  return out;
}

export function resolutionOf(item: Item): Resolution {
  return pick(item, RESOLUTION_FIELDS) as Resolution;
}

export function feedbackItem(f: Feedback): Item {
  return {
    pk: `RUNBOOK#${f.runbookId}`,
    // Keyed by id alone: one agent's vote on a runbook is one item, replaced when they change it.
    sk: `FEEDBACK#${f.id}`,
    type: 'feedback',
    gsi1pk: `RUNBOOK#${f.runbookId}`,
    gsi1sk: `FEEDBACK#${f.at}`,
    ...f,
  };
}

export function feedbackOf(item: Item): Feedback {
  return pick(item, ['id', 'runbookId', 'at', 'kind', 'comment', 'ticketId', 'query', 'tier']) as unknown as Feedback;
}

export function searchGapOf(item: Item): SearchGap {
  return pick(item, ['query', 'count', 'lastAt', 'tier']) as unknown as SearchGap;
}

export function deadLetterItem(d: DeadLetter): Item {
  return {
    pk: 'DEADLETTER',
    sk: `${d.at}#${d.id}`,
    type: 'dead-letter',
    id: d.id,
    at: d.at,
    error: d.error,
    attempts: d.attempts,
    event: JSON.stringify(d.event),
  };
}

export function deadLetterOf(item: Item): DeadLetter {
  return {
    id: String(item.id),
    at: String(item.at),
    error: String(item.error),
    attempts: Number(item.attempts),
    event: JSON.parse(String(item.event)),
  };
}

/** A stream image → the learning signal it carries; other item types carry none. */
export function signalOfItem(item: Item): Signal | undefined {
  if (item.type === 'resolution') return signalOfResolution(resolutionOf(item));
  if (item.type === 'feedback') return signalOfFeedback(feedbackOf(item));
  return undefined;
}
