import { instant, type Signal } from './model.ts';
import { type RunbookUsage, usageBySignals } from './usage.ts';

/**
 * What the gap report reads from the resolution index, bounded whatever the number of tickets:
 * one counter set per used runbook, two counts, and the latest signals of each kind it lists.
 */
export interface GapSignals {
  /** Per-runbook counters (core/resolutions/usage.ts), one entry per runbook any signal names. */
  usage: Map<string, RunbookUsage>;
  /** Tickets closed without a runbook (outcome no-runbook, or no runbook named), newest first. */
  uncovered: Signal[];
  /** "Did not help", from agents and from closed tickets, newest first. */
  notHelpful: Signal[];
  /** Signals about a runbook with an agent's comment, newest first. */
  notes: Signal[];
  /** Tickets fixed (resolved or worked around), and how many of them named the runbook that did it. */
  fixed: { total: number; linked: number };
}

/** How many of each listed kind the report reads: the latest this many. */
export const GAP_SIGNAL_LIMIT = 500;

/** A ticket closed with no runbook that covered it: the "missing article" signal. */
export const isUncovered = (s: Signal): boolean => Boolean(s.resolution) && (s.kind === 'no-runbook' || !s.runbookId);

export const isFixed = (s: Signal): boolean => Boolean(s.resolution) && (s.kind === 'resolved' || s.kind === 'workaround');

/** The latest `limit` signals `keep` lets through, newest first (ties by key, so both engines agree). */
export function latest(signals: Iterable<Signal>, keep: (s: Signal) => boolean, limit: number): Signal[] {
  return [...signals]
    .filter(keep)
    .sort((a, b) => instant(b.at) - instant(a.at) || a.key.localeCompare(b.key))
    .slice(0, Math.max(0, limit));
}

/**
 * The report's reading of a set of signals held in memory (the embedded index), and the reference
 * the OpenSearch adapter's aggregations must match (test/contract/resolution-index.contract.ts).
 */
export function gapSignalsOf(signals: readonly Signal[], limit: number): GapSignals {
  const fixed = signals.filter(isFixed);
  return {
    usage: usageBySignals(signals),
    uncovered: latest(signals, isUncovered, limit),
    notHelpful: latest(signals, (s) => s.kind === 'not-helpful', limit),
    notes: latest(signals, (s) => Boolean(s.runbookId && s.note), limit),
    fixed: { total: fixed.length, linked: fixed.filter((s) => s.runbookId).length },
  };
}
