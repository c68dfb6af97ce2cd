import type { GapReport } from '../../contracts/api.ts';
import { parse, SERVER_URL_HELP, serverUrl } from '../args.ts';
import { CliError } from '../cli-error.ts';

export async function fetchJson<T>(url: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new CliError(`cannot reach ${new URL(url).origin}: is \`kb serve\` running there? (set --url, KB_URL or PORT)`, 1);
  }
  if (response.status === 404) throw new CliError(`not found: ${url}`, 1);
  if (!response.ok) throw new CliError(`${url} answered ${response.status}`, 1);
  return (await response.json()) as T;
}

function section(title: string, lines: string[]): string {
  return `${title}\n${lines.length > 0 ? lines.join('\n') : '  (none)'}\n`;
}

/** `kb gaps`: the knowledge-gap report of a running server, for authors deciding what to write next. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    url: { type: 'string', value: 'URL', help: SERVER_URL_HELP },
    json: { type: 'boolean', default: false, help: 'print the report as JSON' },
  });
  const report = await fetchJson<GapReport>(new URL('/analytics/gaps', serverUrl(values.url)).href);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const groups = (list: GapReport['zeroResultSearches']) =>
    list
      .slice(0, 15)
      .map(
        (g) =>
          `  ${String(g.count).padStart(4)}  ${g.label}${g.category ? `  [${g.category}]` : ''}${g.examples.length > 1 ? `  (also: ${g.examples.slice(1, 3).join('; ')})` : ''}`,
      );
  process.stdout.write(
    [
      section('Searches that found nothing (most frequent first):', groups(report.zeroResultSearches)),
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
          .slice(0, 15)
          .map((r) => `  ${String(r.resolved).padStart(4)}  ${r.id}${r.lastUsed ? `  last ${r.lastUsed.slice(0, 10)}` : ''}`),
      ),
    ].join('\n'),
  );
  return 0;
}
