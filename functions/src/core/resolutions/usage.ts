import { instant, type Signal } from './model.ts';

export interface RunbookUsage {
  resolved: number;
  workaround: number;
  notHelpful: number;
  helpful: number;
  flagged: number;
  /** The latest time a ticket or an agent used it. */
  lastUsed?: string;
}

/** A runbook nobody has used or rated yet. */
export const emptyUsage = (): RunbookUsage => ({ resolved: 0, workaround: 0, notHelpful: 0, helpful: 0, flagged: 0 });

/**
 * Adds `count` signals of one kind to a runbook's counters; `at`, the latest of them, marks the
 * runbook used unless they said it did not help. Shared by the in-memory count (`usageBySignals`)
 * and the OpenSearch adapter's aggregation, so both read a kind the same way.
 */
export function countKind(u: RunbookUsage, kind: Signal['kind'], count: number, at?: string): void {
  if (kind === 'resolved') u.resolved += count;
  else if (kind === 'workaround') u.workaround += count;
  else if (kind === 'not-helpful') u.notHelpful += count;
  else if (kind === 'helpful') u.helpful += count;
  else if (kind === 'flag') u.flagged += count;
  if (kind !== 'not-helpful' && at && (!u.lastUsed || instant(at) > instant(u.lastUsed))) u.lastUsed = at;
}

/**
 * Per-runbook counters, derived from the current signals rather than incremented per event:
 * a replayed or redelivered event replaces its signal, so the counts stay exact.
 */
export function usageBySignals(signals: Iterable<Signal>): Map<string, RunbookUsage> {
  const usage = new Map<string, RunbookUsage>();
  for (const s of signals) {
    if (!s.runbookId) continue;
    const u = usage.get(s.runbookId) ?? emptyUsage();
    countKind(u, s.kind, 1, s.at);
    usage.set(s.runbookId, u);
  }
  return usage;
}
