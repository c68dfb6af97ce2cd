import type { Tier } from '../api/types.ts';
import { isTier } from '../lib/labels.ts';
import { createStore, storage } from '../lib/store.ts';

/**
 * The tier the agent reads as: chosen once, remembered in localStorage, and sent as `audience` /
 * `requesterTier` on every request. It can only narrow what the server allows: the agent's own
 * tier comes from their sign-in (or, on kb serve, the local developer's `--tier`).
 */
const KEY = 'kb.tier';

const saved = storage.get(KEY);
export const tierStore = createStore<Tier | null>(isTier(saved) ? saved : null);

export function chooseTier(tier: Tier): void {
  storage.set(KEY, tier);
  tierStore.set(tier);
}
