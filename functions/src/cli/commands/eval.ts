import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { SuggestRequest, SuggestResponse } from '../../contracts/api.ts';
import { type LabelledQuery, type QueryOutcome, scoreRanking, summarize } from '../../core/search/metrics.ts';
import { startEmbeddedSearch } from '../../local/embedded-platform.ts';
import { parse, serverUrl } from '../args.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { step } from '../progress.ts';

type Suggest = (request: SuggestRequest) => Promise<Pick<SuggestResponse, 'suggestions'>>;

function remoteSuggest(url: string): Suggest {
  return async (request) => {
    const response = await fetch(new URL('/suggest', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    }).catch(() => {
      throw new CliError(`cannot reach ${new URL(url).origin}: is \`kb serve\` running there? (set --url, KB_URL or PORT)`, 1);
    });
    if (!response.ok) throw new CliError(`${url} answered ${response.status} to POST /suggest`, 1);
    return (await response.json()) as SuggestResponse;
  };
}

async function readQueries(file: string): Promise<LabelledQuery[]> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new CliError(`cannot read ${file}`);
  });
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as LabelledQuery;
      } catch {
        throw new CliError(`${file}:${i + 1}: not a JSON object`);
      }
    });
}

/**
 * A labelled query as a ticket: its first sentence is the subject (an alert's summary, a user's
 * one-line complaint) and the rest the description, as monitoring and ticket systems send them.
 */
export function asTicket(text: string): { subject: string; description?: string } {
  const end = text.search(/[.!?](\s|$)/);
  if (end === -1 || end > 300)
    return { subject: text.slice(0, 500), ...(text.length > 500 ? { description: text.slice(500, 20_000) } : {}) };
  const description = text.slice(end + 1).trim();
  return { subject: text.slice(0, end + 1), ...(description ? { description: description.slice(0, 20_000) } : {}) };
}

/**
 * Runs a labelled query set through suggest and prints MRR@10, R@1, R@5 and nDCG@10.
 * Relevant paths in the set are relative to the set's folder; results are relative to the content
 * root, so the content root's place relative to the set's folder is stripped from them.
 */
export async function evaluate(queries: LabelledQuery[], suggest: Suggest, prefix: string) {
  const outcomes: QueryOutcome[] = [];
  for (const q of queries) {
    const response = await suggest({ ...asTicket(q.query), limit: 10 });
    const ranked = response.suggestions.map((s) => s.path);
    const relevant = new Set(q.relevant.map((p) => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p)));
    const confidence = response.suggestions[0]?.confidence;
    outcomes.push({ ...scoreRanking(q.id, ranked, relevant), ...(confidence === undefined ? {} : { confidence }) });
  }
  return { report: summarize(outcomes), outcomes };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    content: { type: 'string', value: 'DIR', help: 'compile and search this folder in-process (default: content)' },
    url: { type: 'string', value: 'URL', help: 'ask a running server instead (default: $KB_URL, when set and --content is not)' },
    json: { type: 'boolean', default: false, help: 'print the figures as JSON' },
    misses: { type: 'boolean', default: false, help: 'list queries whose runbook is not ranked first, on stderr' },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('a labelled query set is needed: kb eval test/relevance/starter-queries.jsonl');
  if (values.url && values.content) throw new UsageError('pass --content or --url, not both');
  const queries = await readQueries(file);
  let suggest: Suggest;
  let contentDir = values.content ?? 'content';
  // A server named by KB_URL is the one the other client commands talk to; --content keeps it local.
  const url = values.url || (!values.content && process.env.KB_URL) ? serverUrl(values.url) : undefined;
  if (url) {
    process.stderr.write(`evaluating against ${url}\n`);
    suggest = remoteSuggest(url);
  } else {
    step(`indexing ${contentDir}…`);
    const platform = await startEmbeddedSearch(contentDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new CliError(`no content folder at ${contentDir}`, 1);
      throw error;
    });
    suggest = (request) => platform.search.suggest(request);
  }
  // e.g. set in eval/alerts, content in eval/alerts/corpus → strip "corpus/" from relevant paths.
  const prefix = url ? '' : relative(dirname(resolve(file)), resolve(contentDir));
  contentDir = prefix && !prefix.startsWith('..') ? `${prefix}/` : '';
  const { report, outcomes } = await evaluate(queries, suggest, contentDir);
  if (values.misses) {
    for (const o of outcomes) if (o.rank !== 1) process.stderr.write(`miss ${o.id} rank=${o.rank ?? '-'}\n`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    process.stdout.write(
      `${report.queries} queries  MRR@10 ${report.mrr10.toFixed(3)}  R@1 ${report.r1.toFixed(3)}  R@5 ${report.r5.toFixed(3)}  nDCG@10 ${report.ndcg10.toFixed(3)}\n`,
    );
  }
  return 0;
}
