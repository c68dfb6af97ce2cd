import type { GapReason, GapReport } from '../../contracts/api.ts';
import { analyze } from '../search/analyze.ts';
import type { RunbookUsage } from './usage.ts';

export interface GapItem {
  text: string;
  count: number;
  category?: string;
  ticket?: string;
  /** Why it is a gap, when the list mixes kinds (the noGoodMatch section). */
  reason?: GapReason;
}

/**
 * Zero-result searches are counted as they are written, so the report reads a bounded list:
 * - a query counts once per searcher (an agent or key repeating it adds nothing),
 * - one searcher adds at most `perSearcherPerDay` new queries a day (a flood plants no more),
 * - only the `top` most-searched queries are kept for the report.
 * The report then costs the same at 10 or 10 million searches.
 */
export const GAP_LIMITS = { top: 200, perSearcherPerDay: 50 } as const;

export interface TopGap {
  query: string;
  count: number;
  lastAt: string;
  tier?: string;
}

/**
 * The top list with one query's new count merged in: replaced if present, else added while
 * there is room or when it outranks the last entry (which is then dropped).
 *
 * @example mergeTop([{ query: 'a', count: 3, lastAt }], { query: 'b', count: 1, lastAt }, 1) // [a]: b does not outrank a
 */
export function mergeTop(top: readonly TopGap[], gap: TopGap, limit: number): TopGap[] {
  const rest = top.filter((g) => g.query !== gap.query);
  const merged = [...rest, gap].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt) || a.query.localeCompare(b.query));
  return merged.slice(0, limit);
}

/**
 * Gap searches less those typed on the way to a longer one ("franking machine ja" before
 * "franking machine jams"): search runs as the agent types, so a pause records a prefix of what
 * they went on to ask. The longer search says more, and counting both would count one agent twice.
 *
 * @example withoutTypedPrefixes([{ text: 'franking machine ja', count: 1 }, { text: 'franking machine jams', count: 1 }])
 * // [{ text: 'franking machine jams', count: 1 }]
 */
export function withoutTypedPrefixes<T extends GapItem>(items: readonly T[]): T[] {
  const texts = items.map((i) => i.text.trim().toLowerCase());
  return items.filter((_, i) => {
    const text = texts[i] ?? '';
    return !texts.some((other) => other.length > text.length && other.startsWith(text));
  });
}

/** Two wordings belong to one gap when they share this much of their vocabulary (Jaccard). */
const SAME_GAP = 0.4;

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * Groups gap items that say the same thing in other words ("vpn drops at home", "VPN keeps
 * dropping from home") and, for tickets, of the same category; most frequent first.
 */
export function groupGaps(items: readonly GapItem[]): GapReport['zeroResultSearches'] {
  const groups: { terms: Set<string>; items: GapItem[]; category?: string }[] = [];
  for (const item of [...items].sort((a, b) => b.count - a.count)) {
    const terms = new Set(analyze(item.text));
    const home = groups.find((g) => g.category === item.category && jaccard(g.terms, terms) >= SAME_GAP);
    if (home) {
      home.items.push(item);
      for (const t of terms) home.terms.add(t);
    } else {
      groups.push({ terms, items: [item], ...(item.category ? { category: item.category } : {}) });
    }
  }
  return groups
    .map((g) => {
      const tickets = g.items.flatMap((i) => (i.ticket ? [i.ticket] : []));
      const reasons: Partial<Record<GapReason, number>> = {};
      for (const i of g.items) if (i.reason) reasons[i.reason] = (reasons[i.reason] ?? 0) + i.count;
      return {
        label: g.items[0]?.text ?? '',
        count: g.items.reduce((sum, i) => sum + i.count, 0),
        ...(g.category ? { category: g.category } : {}),
        examples: g.items.slice(0, 5).map((i) => i.text),
        ...(tickets.length > 0 ? { tickets: tickets.slice(0, 20) } : {}),
        ...(Object.keys(reasons).length > 0 ? { reasons } : {}),
      };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/**
 * Every sign the desk did not find a good answer, as one list grouped by what was asked: searches
 * with no result and weak suggestions (`searched`), "did not help" from agents and from closed
 * tickets, and tickets closed without a runbook. Categories are dropped so a search and a ticket
 * saying the same thing fall in one group.
 *
 * @example noGoodMatch([{ text: 'teams shows offline', count: 3 }], [{ text: 'Teams shows me offline', count: 1, ticket: 'jira/HD-1' }], [])
 * // [{ label: 'teams shows offline', count: 4, reasons: { 'no-good-match': 3, 'not-helpful': 1 }, … }]
 */
export function noGoodMatch(
  searched: readonly GapItem[],
  notHelpful: readonly GapItem[],
  noRunbook: readonly GapItem[],
): GapReport['noGoodMatch'] {
  const tagged = (items: readonly GapItem[], reason: GapReason) =>
    items.filter((i) => i.text.trim()).map(({ category: _category, ...i }) => ({ ...i, reason }));
  return groupGaps([...tagged(searched, 'no-good-match'), ...tagged(notHelpful, 'not-helpful'), ...tagged(noRunbook, 'no-runbook')]);
}

/** Runbooks agents flag, or that fail more often than they help: candidates for a rewrite. */
export function problemRunbooks(usage: ReadonlyMap<string, RunbookUsage>, comments: ReadonlyMap<string, string[]>) {
  return [...usage]
    .filter(([, u]) => u.flagged > 0 || (u.notHelpful >= 2 && u.notHelpful >= u.resolved + u.helpful))
    .map(([id, u]) => ({ id, flagged: u.flagged, notHelpful: u.notHelpful, resolved: u.resolved, comments: comments.get(id) ?? [] }))
    .sort((a, b) => b.flagged + b.notHelpful - (a.flagged + a.notHelpful) || a.id.localeCompare(b.id));
}
