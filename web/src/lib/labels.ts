import type { KcsState, Tier } from '../api/types.ts';

/**
 * Display names for the contract's enums. Typed as Record<Tier, …> so a tier added to the
 * contract fails the typecheck here until it has a label; the key order is the display order.
 */
export const TIER_LABELS: Record<Tier, { short: string; role: string }> = {
  l1: { short: 'L1', role: 'Help desk' },
  l2: { short: 'L2', role: 'Support engineer' },
  l3: { short: 'L3', role: 'System administrator' },
  infra: { short: 'Infra', role: 'Infrastructure engineer' },
};
export const TIERS = Object.keys(TIER_LABELS) as Tier[];

export const STATE_LABELS: Record<KcsState, string> = {
  validated: 'Validated',
  'not-validated': 'Not validated',
  draft: 'Draft',
  archived: 'Archived',
};
export const STATES = Object.keys(STATE_LABELS) as KcsState[];

export const isTier = (value: unknown): value is Tier => typeof value === 'string' && value in TIER_LABELS;
export const isState = (value: unknown): value is KcsState => typeof value === 'string' && value in STATE_LABELS;

export const tierName = (tier: Tier): string => `${TIER_LABELS[tier].short} · ${TIER_LABELS[tier].role}`;

/** "email" → "Email", "end-user-devices" → "End user devices". */
export const categoryName = (category: string): string => {
  const words = category.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The levels a confidence is shown at: the server's `confidentAt` and `partialAt`
 * (functions/src/core/search/options.ts; a unit test keeps the two in step). "high" is what the
 * server calls a confident match, so no answer below it is offered as one.
 */
export const CONFIDENCE_LEVELS = { high: 0.7, medium: 0.35 } as const;

export function confidenceLevel(confidence: number): 'high' | 'medium' | 'low' {
  return confidence >= CONFIDENCE_LEVELS.high ? 'high' : confidence >= CONFIDENCE_LEVELS.medium ? 'medium' : 'low';
}
