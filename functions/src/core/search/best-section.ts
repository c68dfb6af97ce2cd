import type { CompiledRunbook, Section, SectionKind } from '../runbook/model.ts';
import { analyze } from './analyze.ts';

const termsBySection = new WeakMap<Section, Set<string>>();

/**
 * How much a match in each kind of section says "this is where the answer is". Escalation and
 * rollback sections repeat the problem's words ("…when Outlook still crashes") without answering it.
 */
const KIND_WEIGHT: Record<SectionKind, number> = {
  symptoms: 1,
  cause: 1,
  diagnosis: 1,
  fix: 1,
  other: 0.8,
  verify: 0.6,
  rollback: 0.5,
  escalation: 0.5,
};

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
 * a term in its heading counting twice, weighted by the kind of section. Ties go to the earlier section; `kind` restricts the
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
    score *= KIND_WEIGHT[section.kind];
    if (score > bestScore) {
      best = section;
      bestScore = score;
    }
  }
  return best;
}
