import { TIERS, type Tier, tierRank } from '../runbook/model.ts';

/**
 * What a caller may do. Each route declares the one scope it needs (`scope` on its RouteSpec);
 * an identity (an API key's client, a signed-in agent) carries the scopes it was granted.
 * - `search`: search, suggest, read runbooks and their usage
 * - `feedback`: an agent's helpful / not-helpful / flag
 * - `resolve`: write and read ticket resolutions, only under the identity's own sources
 * - `admin`: the gap report and the dead letters
 */
export const SCOPES = ['search', 'feedback', 'resolve', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** What a route needs: a scope, or nothing at all (`public`: health, the API document). */
export type RouteAccess = Scope | 'public';

/** Who is calling, as established by authentication; never taken from the request's own fields. */
export interface Identity {
  /** `agent`: a person signed in (token); `client`: a ticket system's API key; `local`: the developer on 127.0.0.1. */
  kind: 'agent' | 'client' | 'local';
  /** Stable id for rate limits and idempotency: `client:jira`, `agent:<sub>`, `local:developer`. */
  id: string;
  /** For messages: the client's name or the agent's user name. */
  name: string;
  /** The widest tier this identity may read; a request may only narrow it. */
  tier: Tier;
  scopes: readonly Scope[];
  /** `{source}`s resolutions may be written and read under; `*` for any (the local developer). */
  sources: readonly string[];
}

/**
 * The tier a request reads as: the identity's, or a lower one it asks for. Asking for a higher
 * tier than one's own is not an error (a ticket system may pass the ticket's queue tier); it is
 * simply not granted.
 *
 * @example effectiveTier({ tier: 'l1', … }, 'l3') // 'l1'
 */
export function effectiveTier(identity: Pick<Identity, 'tier'>, requested: Tier | undefined): Tier {
  if (!requested) return identity.tier;
  return tierRank(requested) < tierRank(identity.tier) ? requested : identity.tier;
}

/** Group names that grant a tier (`kb-l2`) or the admin scope (`kb-admin`). */
export const GROUP_PREFIX = 'kb-';
export const ADMIN_GROUP = 'kb-admin';

/** The highest tier among `kb-<tier>` groups; undefined when the identity has none. */
export function tierFromGroups(groups: readonly string[]): Tier | undefined {
  const tiers = TIERS.filter((t) => groups.includes(`${GROUP_PREFIX}${t}`));
  return tiers.at(-1);
}
