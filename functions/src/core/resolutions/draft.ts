import type { Resolution } from '../../contracts/api.ts';
import { TIERS, type Tier, tierRank } from '../runbook/model.ts';
import { slugify } from '../runbook/template.ts';

/** The resolver's text as steps: one per line or list item, or per sentence in a single paragraph. */
function steps(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').trim())
    .filter(Boolean);
  if (lines.length > 1) return lines;
  return (text.match(/[^.!?]+[.!?]+(\s|$)|[^.!?]+$/g) ?? [text]).map((s) => s.trim()).filter(Boolean);
}

const yamlString = (s: string) => JSON.stringify(s);

/**
 * A draft runbook from a closed ticket (KCS: capture the fix while it is fresh). State `draft`,
 * so it is never suggested until an author completes and validates it; every prompt left for the
 * author is marked TODO.
 */
export function draftFromResolution(r: Resolution, today: string): { tier: Tier; id: string; markdown: string } {
  const tier = r.tier ?? 'l1';
  const id = slugify(r.summary).slice(0, 60).replace(/-+$/, '') || `ticket-${slugify(r.ticketId)}`;
  const next = TIERS[tierRank(tier) + 1];
  const cause = tier === 'l1' ? '' : '## Cause\n\nTODO: why this happens.\n\n';
  const rollback = tier === 'l3' || tier === 'infra' ? '## Rollback\n\n1. TODO: how to undo the fix.\n\n' : '';
  const markdown = `---
id: ${id}
title: ${yamlString(r.summary)}
tier: ${tier}
category: ${r.category ?? 'TODO-from-taxonomy'}
symptoms:
  - ${yamlString(r.summary)}
tags: []
owner: TODO
state: draft
review-by: ${Number(today.slice(0, 4)) + 1}${today.slice(4)}
${next ? `escalate-to: ${next}\n` : ''}applies-to: []
related: [${r.runbookId ?? ''}]
---

# ${r.summary}

> Drafted from ticket ${r.source}/${r.ticketId}, closed ${r.closedAt}${r.resolvedBy ? ` by ${r.resolvedBy}` : ''}.

## Symptoms

- ${r.summary}

${cause}## Fix

${steps(r.resolution)
  .map((s, i) => `${i + 1}. ${s}`)
  .join('\n')}

## Verify

- TODO: how the agent and the user confirm it is fixed.

${rollback}## Escalation

TODO: when, and to whom.
`;
  return { tier, id, markdown };
}
