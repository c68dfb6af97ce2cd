import type { Tier } from '../api/types.ts';
import { isTier } from '../lib/labels.ts';
import { createStore, storage } from '../lib/store.ts';

/**
 * The agent's tier: chosen once, remembered in localStorage, and sent as `audience` /
 * `requesterTier` on every request so the server never returns what this tier may not read.
 */
const KEY = 'kb.tier';

const saved = storage.get(KEY);
export const tierStore = createStore<Tier | null>(isTier(saved) ? saved : null);

export function chooseTier(tier: Tier): void {
  storage.set(KEY, tier);
  tierStore.set(tier);
}
