import type { GapReason, GapReport } from '../../contracts/api.ts';

/** Groups printed per section: what an author can act on this week. */
const SHOWN = 15;

/** Each reason as an author reads it, in the order they are printed. */
const REASONS: Record<GapReason, string> = {
  'no-good-match': 'no good match',
  'not-helpful': 'not helpful',
  'no-runbook': 'closed without a runbook',
};

type Group = GapReport['noGoodMatch'][number];

function section(title: string, lines: string[]): string {
  return `${title}\n${lines.length > 0 ? lines.join('\n') : '  (none)'}\n`;
}

const quote = (text: string) => `"${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`;

/** "3 no good match · 1 not helpful": how a group's count splits by reason. */
function reasonsOf(group: Group): string {
  return (Object.keys(REASONS) as GapReason[])
    .flatMap((reason) => {
      const n = group.reasons?.[reason] ?? 0;
      return n > 0 ? [`${n} ${REASONS[reason]}`] : [];
    })
    .join(' · ');
}

/** One line per group, then its other wordings and tickets, indented under the count. */
function groupLines(group: Group, withReasons: boolean): string[] {
  const head = `  ${String(group.count).padStart(4)}  ${group.label}${group.category ? `  [${group.category}]` : ''}`;
  const reasons = withReasons ? reasonsOf(group) : '';
  const lines = [`${head}${reasons ? `  (${reasons})` : ''}`];
  const others = group.examples.filter((e) => e !== group.label).slice(0, 3);
  if (others.length > 0) lines.push(`        also: ${others.map(quote).join('; ')}`);
  if (group.tickets?.length) lines.push(`        tickets: ${group.tickets.slice(0, 5).join(', ')}${group.tickets.length > 5 ? ', …' : ''}`);
  return lines;
}

const groups = (list: readonly Group[], withReasons = false) => list.slice(0, SHOWN).flatMap((g) => groupLines(g, withReasons));

/**
 * The gap report as `kb gaps` prints it: first every sign the desk found no good answer, grouped
 * by what was asked with counts per reason, then the parts it is made of, the runbooks to fix,
 * the link rate and reuse.
 *
 * @example formatGapReport(report) // 'No good answer (…):\n     7  teams shows offline  (3 no good match · 4 not helpful)\n…'
 */
export function formatGapReport(report: GapReport): string {
  return [
    section(
      'No good answer, by what was asked (most frequent first; searches and weak suggestions, "did not help", tickets closed without a runbook):',
      groups(report.noGoodMatch, true),
    ),
    section('Searches that found nothing or only weak matches:', groups(report.zeroResultSearches)),
    section('Tickets closed without a runbook:', groups(report.ticketsWithoutRunbook)),
    section(
      'Runbooks flagged or often not helpful:',
      report.problemRunbooks.map(
        (p) =>
          `  ${p.id}${p.title ? ` — ${p.title}` : ''}: ${p.flagged} flags, ${p.notHelpful} not helpful, ${p.resolved} resolved${p.comments.length ? `; "${p.comments[0]}"` : ''}`,
      ),
    ),
    `Link rate: ${(report.linkRate * 100).toFixed(1)}% of fixed tickets name their runbook\n`,
    section(
      'Reuse (tickets fixed per runbook):',
      report.reuse
        .slice(0, SHOWN)
        .map((r) => `  ${String(r.resolved).padStart(4)}  ${r.id}${r.lastUsed ? `  last ${r.lastUsed.slice(0, 10)}` : ''}`),
    ),
  ].join('\n');
}
