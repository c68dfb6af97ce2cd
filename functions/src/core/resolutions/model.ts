import type { FeedbackRequest, Outcome, Resolution } from '../../contracts/api.ts';

export type { Outcome, Resolution };

/** An agent's helpful / not-helpful / flag on a runbook, as stored. */
export interface Feedback extends FeedbackRequest {
  id: string;
  runbookId: string;
  at: string;
}

/** A zero-result search, counted per normalised query. */
export interface SearchGap {
  query: string;
  count: number;
  lastAt: string;
  tier?: string;
}

/** What a write did: `unchanged` for a replay or an update older than the stored one. */
export type WriteResult = 'created' | 'updated' | 'unchanged';

/**
 * A learning signal for the resolution index: a closed ticket, or an agent's feedback given with
 * the words they searched. Keyed, so a redelivered change event replaces rather than adds.
 */
export interface Signal {
  /** `ticket:<source>/<ticketId>` or `feedback:<id>` */
  key: string;
  text: string;
  runbookId?: string;
  /** resolved/workaround/helpful push a runbook up for similar text; not-helpful pushes it down. */
  polarity: 1 | 0 | -1;
  kind: Outcome | 'helpful' | 'not-helpful' | 'flag';
  resolution?: Resolution;
  /** An agent's comment (flags say what is wrong). */
  note?: string;
  category?: string;
  at: string;
}

export function ticketKey(source: string, ticketId: string): string {
  return `ticket:${source}/${ticketId}`;
}

export function signalOfResolution(r: Resolution): Signal {
  const polarity = r.outcome === 'resolved' || r.outcome === 'workaround' ? 1 : r.outcome === 'not-helpful' ? -1 : 0;
  return {
    key: ticketKey(r.source, r.ticketId),
    text: r.summary,
    ...(r.runbookId ? { runbookId: r.runbookId } : {}),
    polarity,
    kind: r.outcome,
    resolution: r,
    ...(r.category ? { category: r.category } : {}),
    at: r.closedAt,
  };
}

export function signalOfFeedback(f: Feedback): Signal {
  return {
    key: `feedback:${f.id}`,
    text: f.query ?? '',
    runbookId: f.runbookId,
    polarity: f.kind === 'helpful' ? 1 : f.kind === 'not-helpful' ? -1 : 0,
    kind: f.kind,
    ...(f.comment ? { note: f.comment } : {}),
    at: f.at,
  };
}

/** ISO date-time → epoch ms: offsets make ISO strings unsafe to compare as text. */
export function instant(iso: string): number {
  return Date.parse(iso);
}
