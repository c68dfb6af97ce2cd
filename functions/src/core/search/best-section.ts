import type { CompiledRunbook, Section, SectionKind } from '../runbook/model.ts';
import { analyze } from './analyze.ts';

const termsBySection = new WeakMap<Section, Set<string>>();

/** A section's index terms (heading, text, steps and commands), analysed once and remembered. */
function sectionTerms(section: Section): Set<string> {
  let terms = termsBySection.get(section);
  if (!terms) {
    const steps = (section.steps ?? []).flatMap((s) => [s.text, ...s.commands.map((c) => c.code)]);
    terms = new Set(analyze([section.heading, section.text, ...steps].join('\n')));
    termsBySection.set(section, terms);
  }
  return terms;
}

/**
 * The section of a runbook that best answers the matched terms: the most term weight inside it,
 * a term in its heading counting twice. Ties go to the earlier section; `kind` restricts the
 * choice (the fix section of a suggestion). Undefined when the runbook has no such section.
 *
 * @example bestSection(runbook, new Map([['vpnagent', 1]]))?.anchor // 'fix'
 */
export function bestSection(runbook: CompiledRunbook, weights: ReadonlyMap<string, number>, kind?: SectionKind): Section | undefined {
  let best: Section | undefined;
  let bestScore = -1;
  for (const section of runbook.sections) {
    if (kind && section.kind !== kind) continue;
    const terms = sectionTerms(section);
    const heading = kind ? undefined : new Set(analyze(section.heading));
    let score = 0;
    for (const [term, weight] of weights) {
      if (terms.has(term)) score += weight * (heading?.has(term) ? 2 : 1);
    }
    if (score > bestScore) {
      best = section;
      bestScore = score;
    }
  }
  return best;
}
