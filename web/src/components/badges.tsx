import type { KcsState, Tier } from '../api/types.ts';
import { categoryName, STATE_LABELS, TIER_LABELS } from '../lib/labels.ts';

export function TierBadge({ tier }: { tier: Tier }) {
  return (
    <span class={`badge tier tier-${tier}`} title={`Written for ${TIER_LABELS[tier].role}`}>
      {TIER_LABELS[tier].short}
    </span>
  );
}

/** Validated is the norm and gets no badge; anything else is worth a glance. */
export function StateBadge({ state }: { state: KcsState }) {
  if (state === 'validated') return null;
  return <span class={`badge state state-${state}`}>{STATE_LABELS[state]}</span>;
}

export function StaleBadge({ stale }: { stale: boolean }) {
  if (!stale) return null;
  return (
    <span class="badge stale" title="Its review date has passed: check the steps still apply">
      Review overdue
    </span>
  );
}

export function CategoryBadge({ category }: { category: string | undefined }) {
  return category ? <span class="badge category">{categoryName(category)}</span> : null;
}

export function Badges({ tier, state, stale, category }: { tier: Tier; state: KcsState; stale: boolean; category?: string | undefined }) {
  return (
    <span class="badges">
      <TierBadge tier={tier} />
      <CategoryBadge category={category} />
      <StateBadge state={state} />
      <StaleBadge stale={stale} />
    </span>
  );
}
