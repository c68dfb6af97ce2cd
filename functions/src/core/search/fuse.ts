import type { SectionHit } from './engine-result.ts';
import type { SearchField } from './options.ts';

export interface RunbookMatch {
  runbookId: string;
  score: number;
  /** The section that scored best: where a hit points. */
  best: SectionHit;
  sections: SectionHit[];
  /** Every term that matched anywhere in the runbook, with its fields. */
  matches: Record<string, SearchField[]>;
}

/**
 * Merges section hits into one hit per runbook: the best section's score plus a share of the
 * others', so a runbook whose symptoms and fix both match beats one that matches in one place,
 * while a hit still points at its best section.
 *
 * @example fuseSections(hits, 0.3)[0].best.anchor // 'fix'
 */
export function fuseSections(hits: readonly SectionHit[], otherSectionsWeight: number): RunbookMatch[] {
  const byRunbook = new Map<string, RunbookMatch>();
  for (const hit of hits) {
    let match = byRunbook.get(hit.runbookId);
    if (!match) {
      match = { runbookId: hit.runbookId, score: 0, best: hit, sections: [], matches: {} };
      byRunbook.set(hit.runbookId, match);
    }
    match.sections.push(hit);
    if (hit.score > match.best.score) match.best = hit;
    for (const [term, fields] of Object.entries(hit.matches)) {
      const known = match.matches[term] ?? [];
      match.matches[term] = [...new Set([...known, ...fields])];
    }
  }
  for (const match of byRunbook.values()) {
    const rest = match.sections.reduce((sum, s) => sum + s.score, 0) - match.best.score;
    match.score = match.best.score + otherSectionsWeight * rest;
  }
  return [...byRunbook.values()].sort((a, b) => b.score - a.score || a.runbookId.localeCompare(b.runbookId));
}
