import type { Escalation } from '../../contracts/api.ts';
import type { CompiledRunbook, Tier } from '../runbook/model.ts';
import { TIERS, tierRank } from '../runbook/model.ts';
import type { SearchOptions } from './options.ts';

type Scored = { runbook: CompiledRunbook; confidence: number };

function nextTier(tier: Tier): Tier | undefined {
  return TIERS[tierRank(tier) + 1];
}

/**
 * Whether a requester should escalate, and to whom: not when their best visible answer is a
 * confident match; to the tier of a confident answer they may not read; otherwise to the team
 * their best answer names, or the next tier.
 */
export function escalationFor(
  requester: Tier | undefined,
  bestVisible: Scored | undefined,
  bestHidden: Scored | undefined,
  options: SearchOptions,
): Escalation {
  if (bestVisible && bestVisible.confidence >= options.confidentAt) {
    return { recommended: false, reason: `"${bestVisible.runbook.meta.title}" is a confident match` };
  }
  if (!requester) {
    return { recommended: false, reason: bestVisible ? 'No confident match; no requester tier was given' : 'No runbook matches' };
  }
  if (bestHidden && bestHidden.confidence >= options.confidentAt) {
    const toTier = bestHidden.runbook.meta.tier;
    return { recommended: true, toTier, reason: `A ${toTier} runbook matches this ticket; ${requester} cannot follow it` };
  }
  const escalateTo = bestVisible?.runbook.meta.escalateTo;
  const toTier = escalateTo?.tier ?? nextTier(requester);
  return {
    recommended: true,
    ...(toTier ? { toTier } : {}),
    ...(escalateTo?.team ? { team: escalateTo.team } : {}),
    reason: bestVisible ? `No confident match for ${requester}` : `No ${requester} runbook matches this ticket`,
  };
}
