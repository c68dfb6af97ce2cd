import * as z from 'zod/mini';
import { TIERS, type Tier } from '../runbook/model.ts';
import type { Taxonomy, Team } from '../runbook/taxonomy.ts';

/*
 * Apart from taxonomy.ts, which parses YAML: escalation advice reads the queues without
 * bundling a parser. On AWS the content indexer reads taxonomy.yaml and publishes the queues as
 * JSON (`publishedQueues`) for the API, which so neither bundles a YAML parser nor parses what
 * authors write.
 */

/**
 * Who escalations go to, from the taxonomy: every team's display name by its id (the slug
 * runbooks give as `owner`), and the default team of each tier.
 */
export interface EscalationQueues {
  /** `Windows Infrastructure (queue WIN-L3)` by `windows-infrastructure`. */
  teams: ReadonlyMap<string, string>;
  /** The display name of each tier's default team. */
  byTier: Partial<Record<Tier, string>>;
}

export const NO_QUEUES: EscalationQueues = { teams: new Map(), byTier: {} };

/** How a team is named in escalation advice: its name, and the queue to assign when it has one. */
export const teamDisplay = (team: Team): string => (team.queue ? `${team.name} (queue ${team.queue})` : team.name);

/**
 * The escalation queues a taxonomy declares.
 *
 * @example escalationQueues({ categories: [], teams: [{ id: 'win', name: 'Windows Infrastructure', queue: 'WIN-L3' }], escalation: { l3: 'win' } })
 * // → { teams: Map { 'win' => 'Windows Infrastructure (queue WIN-L3)' }, byTier: { l3: 'Windows Infrastructure (queue WIN-L3)' } }
 */
export function escalationQueues(taxonomy: Taxonomy): EscalationQueues {
  const teams = new Map((taxonomy.teams ?? []).map((t) => [t.id, teamDisplay(t)]));
  const byTier: Partial<Record<Tier, string>> = {};
  for (const [tier, team] of Object.entries(taxonomy.escalation ?? {}) as [Tier, string][]) {
    const display = teams.get(team);
    if (display) byTier[tier] = display;
  }
  return { teams, byTier };
}

/** The queues as the content indexer publishes them for the API: JSON, teams by id. */
const PublishedQueues = z.object({
  teams: z.record(z.string(), z.string()),
  byTier: z.partialRecord(z.enum(TIERS), z.string()),
});

/** The queues as JSON text, for the API to read back with `queuesFromPublished`. */
export function publishedQueues(queues: EscalationQueues): string {
  return JSON.stringify({ teams: Object.fromEntries(queues.teams), byTier: queues.byTier });
}

/** Queues from `publishedQueues` text; throws on anything else. */
export function queuesFromPublished(text: string): EscalationQueues {
  const { teams, byTier } = PublishedQueues.parse(JSON.parse(text));
  return { teams: new Map(Object.entries(teams)), byTier };
}
