import { useEffect, useRef } from 'preact/hooks';
import type { Tier } from '../api/types.ts';
import { TIER_LABELS, TIERS } from '../lib/labels.ts';
import { chooseTier } from '../state/tier.ts';

/**
 * First visit: which tier is reading. One click (or Enter for L1, which has focus) and it is
 * remembered; the header's tier menu changes it later.
 */
export function TierPicker({ onChosen }: { onChosen?: (tier: Tier) => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <section class="tier-picker" aria-labelledby="tier-picker-title">
      <h1 id="tier-picker-title">Which tier do you work at?</h1>
      <p class="muted">You will only see runbooks written for your tier. The app remembers your choice; change it any time at the top.</p>
      <div class="tier-options">
        {TIERS.map((tier, i) => (
          <button
            key={tier}
            type="button"
            class="tier-option"
            ref={i === 0 ? first : null}
            onClick={() => {
              chooseTier(tier);
              onChosen?.(tier);
            }}
          >
            <span class="tier-option-short">{TIER_LABELS[tier].short}</span>
            <span>{TIER_LABELS[tier].role}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
