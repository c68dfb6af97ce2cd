import type { GapReport } from '../../contracts/api.ts';
import { parse, SERVER_URL_HELP, serverUrl } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { formatGapReport } from './gaps-report.ts';

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
  process.stdout.write(formatGapReport(report));
  return 0;
}
