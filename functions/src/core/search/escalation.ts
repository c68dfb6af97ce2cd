import type { Escalation } from '../../contracts/api.ts';
import type { CompiledRunbook, Tier } from '../runbook/model.ts';
import { TIERS, tierRank } from '../runbook/model.ts';
import type { SearchOptions } from './options.ts';
import { type EscalationQueues, NO_QUEUES } from './queues.ts';
import { REACH_SIGNALS, type ReachSignal, ticketReach } from './ticket-reach.ts';

export type Scored = { runbook: CompiledRunbook; confidence: number };

export interface EscalationInput {
  requester: Tier | undefined;
  /** Suggestions the requester may read, best first. */
  visible: readonly Scored[];
  /** Matches the requester may not read, best first. */
  hidden: readonly Scored[];
  /** The ticket as written (subject and description): it may say the problem is bigger than one user. */
  text?: string;
}

function tierAt(rank: number): Tier {
  return TIERS[Math.min(Math.max(rank, 0), TIERS.length - 1)] as Tier;
}

const higher = (a: Tier, b: Tier): Tier => (tierRank(a) >= tierRank(b) ? a : b);

/** What escalation advice is built from besides the ticket: the reach phrases and the taxonomy's queues. */
export interface EscalationContext {
  signals?: readonly ReachSignal[];
  queues?: EscalationQueues;
}

/** A team as the advice names it: a taxonomy team id (`windows-infrastructure`) by its display name, anything else as written. */
const named = (team: string | undefined, queues: EscalationQueues): string | undefined =>
  team ? (queues.teams.get(team) ?? team) : undefined;

/**
 * The queue to hand over to at `toTier`, most specific first: what the runbook the agent followed
 * says (its `escalate-to` team, when it names that tier or none), else the team the best related
 * match escalates to at that tier, else the owner of the runbook that tier should open when the
 * taxonomy lists it as a team, else the taxonomy's default team for that tier, else that owner as
 * written (a slug no team list knows).
 *
 * @example queueFor('l3', undefined, [], dhcpScope, queues) // → 'Windows Infrastructure (queue WIN-L3)': its owner `windows-infrastructure` is a team
 * queueFor('l3', undefined, [], ownedBySomeone, queues) // → 'Engineering Triage (queue ENG-L3)': the L3 default, not the slug
 */
export function queueFor(
  toTier: Tier,
  followed: Scored | undefined,
  related: readonly Scored[],
  handoff: Scored | undefined,
  queues: EscalationQueues = NO_QUEUES,
): string | undefined {
  const own = followed?.runbook.meta.escalateTo;
  if (own?.team && (own.tier ?? toTier) === toTier) return named(own.team, queues);
  const relatedTeam = related.find((s) => s.runbook.meta.escalateTo?.tier === toTier && s.runbook.meta.escalateTo.team);
  const owner = handoff?.runbook.meta.owner;
  const ownerTeam = owner ? queues.teams.get(owner) : undefined;
  return named(relatedTeam?.runbook.meta.escalateTo?.team, queues) ?? ownerTeam ?? queues.byTier[toTier] ?? owner;
}

function handoffRunbook(toTier: Tier, candidates: readonly Scored[], options: SearchOptions): Scored | undefined {
  return candidates.find((s) => s.runbook.meta.tier === toTier && s.confidence >= options.partialAt);
}

/**
 * Whether a requester should escalate, to which tier and queue, and which runbook that tier should
 * open: not when their best answer is a confident match; to the tier of a confident answer they may
 * not read; otherwise to the tier their best answer escalates to, or the next tier. A ticket that
 * names more than one user ("the whole 2nd floor", "nobody can print") goes at least one or two
 * tiers above the requester's (see ticket-reach.ts), even when a runbook seems to fit.
 *
 * @example escalationFor({ requester: 'l1', visible: [wifi], hidden: [dhcpScope], text: 'Whole 2nd floor has no network' }, options)
 * // → { recommended: true, toTier: 'l3', team: 'Windows Infrastructure (queue WIN-L3)', runbook: { id: 'dhcp-scope-exhausted', … }, … }
 */
export function escalationFor(input: EscalationInput, options: SearchOptions, context: EscalationContext = {}): Escalation {
  const { signals = REACH_SIGNALS, queues = NO_QUEUES } = context;
  const { requester, visible, hidden } = input;
  const best = visible[0];
  const bestHidden = hidden[0];
  const reach = input.text ? ticketReach(input.text, signals) : undefined;
  const reachNote = reach ? `the ticket says ${reach.reach} (“${reach.phrase}”)` : '';
  const confident = best !== undefined && best.confidence >= options.confidentAt;
  if (!requester) {
    if (reach)
      return { recommended: true, reach: { scope: reach.reach, phrase: reach.phrase }, reason: `Not one user's problem: ${reachNote}` };
    if (confident) return { recommended: false, reason: `"${best.runbook.meta.title}" is a confident match` };
    return { recommended: false, reason: best ? 'No confident match; no requester tier was given' : 'No runbook matches' };
  }
  if (confident && !reach) return { recommended: false, reason: `"${best.runbook.meta.title}" is a confident match` };

  let toTier: Tier | undefined;
  let reason: string;
  if (bestHidden && bestHidden.confidence >= options.confidentAt) {
    toTier = bestHidden.runbook.meta.tier;
    reason = `An ${toTier.toUpperCase()} runbook matches this ticket; ${requester.toUpperCase()} cannot follow it`;
  } else if (confident) {
    reason = `"${best.runbook.meta.title}" matches`;
  } else {
    toTier = best?.runbook.meta.escalateTo?.tier ?? TIERS[tierRank(requester) + 1];
    reason = best ? `No confident match for ${requester.toUpperCase()}` : `No ${requester.toUpperCase()} runbook matches this ticket`;
  }
  if (reach) {
    const least = tierAt(tierRank(requester) + reach.raise);
    toTier = toTier ? higher(toTier, least) : least;
    reason = `${reason}, but ${reachNote}: likely an outage`;
  }
  if (!toTier || toTier === requester) {
    const team = named(best?.runbook.meta.escalateTo?.team, queues);
    return { recommended: true, ...(team ? { team } : {}), reason };
  }

  const all = [...visible, ...hidden].sort((a, b) => b.confidence - a.confidence);
  const related = all.filter((s) => s.confidence >= options.partialAt);
  const handoff =
    bestHidden?.runbook.meta.tier === toTier && bestHidden.confidence >= options.confidentAt
      ? bestHidden
      : handoffRunbook(toTier, all, options);
  const team = queueFor(toTier, best, related, handoff, queues);
  return {
    recommended: true,
    toTier,
    ...(team ? { team } : {}),
    ...(handoff ? { runbook: { id: handoff.runbook.id, title: handoff.runbook.meta.title, tier: handoff.runbook.meta.tier } } : {}),
    ...(reach ? { reach: { scope: reach.reach, phrase: reach.phrase } } : {}),
    reason,
  };
}
