import { idFromPath } from './meta.ts';
import { TIERS, type Tier, tierRank } from './model.ts';
import { REQUIRED_SECTIONS } from './section-names.ts';

/**
 * What each section of a new runbook should say: the prompts authors see in the scaffold. Lint's
 * `placeholders` rule reports any of them left in a runbook.
 */
export const PROMPTS: Record<string, string> = {
  symptoms: '- What the requester sees or says, one line each.',
  cause: 'Why it happens, in a sentence or two.',
  fix: '1. First action, one per step.\n\n   ```powershell\n   # the command, with its language on the fence\n   ```\n\n2. Next action.',
  verify: '- How the agent and the user confirm it is fixed.',
  rollback: '1. How to undo the change if the fix makes things worse.',
  escalation: 'Escalate to TEAM (tier) when CONDITION. Include: what to attach to the ticket.',
};

/** Frontmatter values the scaffold leaves for the author to replace (also reported by lint). */
export const SCAFFOLD_VALUES = { category: 'CHOOSE-FROM-taxonomy.yaml', symptom: 'what the user says', owner: 'your-team' } as const;

/** A slug for a title: `VPN drops every hour` → `vpn-drops-every-hour`. */
export function slugify(title: string): string {
  return idFromPath(title.replace(/\//g, ' '));
}

/**
 * A new runbook for `tier`, with frontmatter filled in and exactly the sections the tier requires,
 * so that it passes `kb lint` once the prompts are replaced (until then lint's `placeholders` rule
 * fails it). `id` defaults to the title's slug.
 */
export function runbookTemplate(tier: Tier, title: string, today: string, id = slugify(title)): string {
  const next = TIERS[tierRank(tier) + 1];
  const reviewBy = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const sections = (REQUIRED_SECTIONS[tier] ?? []).map(
    (kind) => `## ${kind[0]?.toUpperCase()}${kind.slice(1)}\n\n${PROMPTS[kind] ?? ''}\n`,
  );
  return `---
id: ${id}
title: ${JSON.stringify(title)}
tier: ${tier}
category: ${SCAFFOLD_VALUES.category}
symptoms:
  - ${SCAFFOLD_VALUES.symptom}
tags: []
owner: ${SCAFFOLD_VALUES.owner}
state: draft
review-by: ${reviewBy}
${next ? `escalate-to: ${next}\n` : ''}applies-to: []
related: []
---

# ${title}

${sections.join('\n')}`;
}
