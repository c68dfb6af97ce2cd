import type { Signal } from './model.ts';

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
 * Per-runbook counters, derived from the current signals rather than incremented per event:
 * a replayed or redelivered event replaces its signal, so the counts stay exact.
 */
export function usageBySignals(signals: Iterable<Signal>): Map<string, RunbookUsage> {
  const usage = new Map<string, RunbookUsage>();
  for (const s of signals) {
    if (!s.runbookId) continue;
    const u = usage.get(s.runbookId) ?? emptyUsage();
    if (s.kind === 'resolved') u.resolved++;
    else if (s.kind === 'workaround') u.workaround++;
    else if (s.kind === 'not-helpful') u.notHelpful++;
    else if (s.kind === 'helpful') u.helpful++;
    else if (s.kind === 'flag') u.flagged++;
    if (s.polarity >= 0 && (!u.lastUsed || s.at > u.lastUsed)) u.lastUsed = s.at;
    usage.set(s.runbookId, u);
  }
  return usage;
}
