import { idFromPath } from './meta.ts';
import { TIERS, type Tier, tierRank } from './model.ts';
import { REQUIRED_SECTIONS } from './section-names.ts';

/** What each section of a new runbook should say: the prompts authors see in the scaffold. */
const PROMPTS: Record<string, string> = {
  symptoms: '- What the requester sees or says, one line each.',
  cause: 'Why it happens, in a sentence or two.',
  fix: '1. First action, one per step.\n\n   ```powershell\n   # the command, with its language on the fence\n   ```\n\n2. Next action.',
  verify: '- How the agent and the user confirm it is fixed.',
  rollback: '1. How to undo the change if the fix makes things worse.',
  escalation: 'Escalate to TEAM (tier) when CONDITION. Include: what to attach to the ticket.',
};

/** A slug for a title: `VPN drops every hour` → `vpn-drops-every-hour`. */
export function slugify(title: string): string {
  return idFromPath(title.replace(/\//g, ' '));
}

/**
 * A new runbook for `tier`, with frontmatter filled in and exactly the sections the tier requires,
 * so that it passes `kb lint` once the prompts are replaced.
 */
export function runbookTemplate(tier: Tier, title: string, today: string): string {
  const id = slugify(title);
  const next = TIERS[tierRank(tier) + 1];
  const reviewBy = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const sections = (REQUIRED_SECTIONS[tier] ?? []).map(
    (kind) => `## ${kind[0]?.toUpperCase()}${kind.slice(1)}\n\n${PROMPTS[kind] ?? ''}\n`,
  );
  return `---
id: ${id}
title: ${JSON.stringify(title)}
tier: ${tier}
category: CHOOSE-FROM-taxonomy.yaml
symptoms:
  - what the user says
tags: []
owner: your-team
state: draft
review-by: ${reviewBy}
${next ? `escalate-to: ${next}\n` : ''}applies-to: []
related: []
---

# ${title}

${sections.join('\n')}`;
}
