import { LineCounter, parseDocument } from 'yaml';
import * as z from 'zod/mini';
import { TIERS } from './model.ts';
import './zod-messages.ts';

const id = z.string().check(z.minLength(1));

const Team = z.object({
  id,
  name: z.string().check(z.minLength(1)),
  /** The ticket system's queue (assignment group) for the team, e.g. `WIN-L3`. */
  queue: z.optional(z.string().check(z.minLength(1))),
});

const Taxonomy = z.object({
  categories: z.array(z.object({ id, label: z.optional(z.string()), description: z.optional(z.string()) })),
  teams: z.optional(z.array(Team)),
  /** The team (an id from `teams`) each tier's escalations go to when no runbook names one. */
  escalation: z.optional(z.partialRecord(z.enum(TIERS), id)),
});
export type Taxonomy = z.infer<typeof Taxonomy>;
export type Team = z.infer<typeof Team>;

/** A malformed taxonomy.yaml: what is wrong, where (1-based), and the path of the field. */
export class TaxonomyError extends Error {
  override readonly name = 'TaxonomyError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`taxonomy.yaml:${line}:${column}: ${reason}`);
  }
}

type Problem = { path: (string | number)[]; reason: string };

/** What the schema cannot say: team ids are unique, and each tier's default names a listed team. */
function crossCheck(taxonomy: Taxonomy): Problem | undefined {
  const ids = (taxonomy.teams ?? []).map((t) => t.id);
  const twice = ids.findIndex((t, i) => ids.indexOf(t) !== i);
  if (twice >= 0) return { path: ['teams', twice, 'id'], reason: `Duplicate team id \`${ids[twice]}\`, expected each id once` };
  for (const [tier, team] of Object.entries(taxonomy.escalation ?? {})) {
    if (!ids.includes(team)) {
      const known = ids.length > 0 ? `a team id from \`teams\` (${ids.join(', ')})` : 'a team id from `teams`, which lists none';
      return { path: ['escalation', tier], reason: `Unexpected team \`${team}\` for \`escalation.${tier}\`, expected ${known}` };
    }
  }
  return undefined;
}

/**
 * Parses `taxonomy.yaml`; throws a TaxonomyError at the offending line when it is malformed (it
 * is configuration, not content: `kb lint` reports it, the indexer and the API refuse it).
 *
 * @example parseTaxonomy('categories: []\nescalation: { l3: nobody }') // throws "taxonomy.yaml:2:14: Unexpected team `nobody` …"
 */
export function parseTaxonomy(text: string): Taxonomy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (problem: Problem) => {
    // The field itself, or the nearest enclosing one that exists (a missing `name` points at its team).
    let offset = 0;
    for (let depth = problem.path.length; depth >= 0; depth--) {
      const node = doc.getIn(problem.path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        offset = node.range[0];
        break;
      }
    }
    const pos = lines.linePos(offset);
    return new TaxonomyError(problem.reason, pos.line, pos.col);
  };
  const [yamlError] = doc.errors;
  if (yamlError) {
    const pos = lines.linePos(yamlError.pos[0]);
    throw new TaxonomyError(yamlError.message.split('\n')[0] ?? 'Unreadable YAML', pos.line, pos.col);
  }
  const parsed = Taxonomy.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol');
    if (issue?.code === 'unrecognized_keys' && path.join('.') === 'escalation') {
      const key = String(issue.keys[0]);
      throw at({ path: [...path, key], reason: `Unexpected tier \`${key}\` in \`escalation\`, expected one of ${TIERS.join(', ')}` });
    }
    throw at({ path, reason: `\`${path.join('.') || 'taxonomy'}\`: ${issue?.message ?? 'invalid'}` });
  }
  const problem = crossCheck(parsed.data);
  if (problem) throw at(problem);
  return parsed.data;
}
