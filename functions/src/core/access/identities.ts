import type { Tier } from '../runbook/model.ts';
import { ADMIN_GROUP, type Identity, type Scope, tierFromGroups } from './scopes.ts';

/** A configured API client (ticket system, operator tool) as an identity. */
export function clientIdentity(client: {
  name: string;
  scopes: readonly Scope[];
  sources?: readonly string[] | undefined;
  tier: Tier;
}): Identity {
  return {
    kind: 'client',
    id: `client:${client.name}`,
    name: `the ${client.name} key`,
    tier: client.tier,
    scopes: client.scopes,
    sources: client.sources ?? [client.name],
  };
}

/** The claims of a verified token that matter here (Cognito's, or any OIDC issuer's). */
export interface AgentClaims {
  sub: string;
  /** A display name: `cognito:username`, `preferred_username` or `email`, when present. */
  username?: string;
  groups: readonly string[];
}

/** What an agent's fix from the web app is filed under (`PUT /tickets/web/{id}/resolution`). */
export const AGENT_SOURCE = 'web';

/**
 * A signed-in agent: reads at the tier its `kb-<tier>` group grants, searches, gives feedback and
 * records fixes under the `web` source; `kb-admin` adds the gap report and dead letters. Without
 * a tier group there is no identity: signing in to the organisation is not access to runbooks.
 *
 * @example agentIdentity({ sub: 'u-1', groups: ['kb-l2'] })?.tier // 'l2'
 */
export function agentIdentity(claims: AgentClaims): Identity | undefined {
  const tier = tierFromGroups(claims.groups);
  if (!tier) return undefined;
  const scopes: Scope[] = ['search', 'feedback', 'resolve'];
  if (claims.groups.includes(ADMIN_GROUP)) scopes.push('admin');
  return { kind: 'agent', id: `agent:${claims.sub}`, name: claims.username ?? claims.sub, tier, scopes, sources: [AGENT_SOURCE] };
}

/**
 * The person at the keyboard of `kb serve` on 127.0.0.1, when no sign-in is configured: every
 * scope and source (they own the content folder and the data under `.kb/`), reading as `tier`.
 */
export function localDeveloper(tier: Tier): Identity {
  return {
    kind: 'local',
    id: 'local:developer',
    name: 'the local developer',
    tier,
    scopes: ['search', 'feedback', 'resolve', 'admin'],
    sources: ['*'],
  };
}
