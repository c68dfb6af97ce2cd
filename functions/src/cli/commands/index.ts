import { compilePool } from '../../adapters/compile/compile-pool.ts';
import { FsContentSource } from '../../adapters/fs/fs-content-source.ts';
import { sharedEmbedder } from '../../adapters/onnx/onnx-embedder.ts';
import { connectionFromEnv, type OpenSearchConnection } from '../../adapters/opensearch/client.ts';
import { OpenSearchRequestError, OpenSearchUnavailableError } from '../../adapters/opensearch/errors.ts';
import { RESOLUTION_INDEX_DEFAULTS } from '../../adapters/opensearch/opensearch-resolution-index.ts';
import { OpenSearchRunbookIndex } from '../../adapters/opensearch/opensearch-runbook-index.ts';
import { type SyncReport, syncIndex } from '../../adapters/opensearch/sync.ts';
import { loadLibrary } from '../../app/load-library.ts';
import { localCompileCache } from '../../local/compile-cache.ts';
import { intOption, parse } from '../args.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { progress, step } from '../progress.ts';
import { indexResolutions } from './index-resolutions.ts';
import { formatMessage } from './lint.ts';

function connection(url: string | undefined): OpenSearchConnection {
  try {
    const found = connectionFromEnv(process.env, url);
    if (!found) throw new UsageError('a cluster is needed: --opensearch URL, or KB_OPENSEARCH_URL');
    return found;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError((error as Error).message);
  }
}

function describe(report: SyncReport, alias: string): string[] {
  const lines =
    report.mode === 'full'
      ? [
          report.swapped
            ? `rebuilt ${report.index} (${report.indexed} runbooks; ${report.reason}) and moved alias ${alias} to it${report.previous ? ` from ${report.previous}` : ''}`
            : `rebuild refused: ${report.failed.length} runbooks failed; alias ${alias} still points at ${report.previous ?? 'nothing'}`,
        ]
      : [`synced ${alias} (${report.index}): ${report.indexed} indexed, ${report.unchanged} unchanged, ${report.removed} removed`];
  if (report.retried > 0) lines.push(`  ${report.retried} requests or items were retried after 429/5xx answers`);
  for (const f of report.failed) lines.push(`  failed ${f.id}: ${f.reason}`);
  return lines;
}

/**
 * `kb index`: compiles a content folder and brings an OpenSearch alias in line with it (words and,
 * with the installed model, meaning vectors), by content hash, or with a full rebuild swapped in
 * atomically. Exits 1 when OpenSearch is unreachable (the alias is then as it was), when the model
 * cannot be loaded, or when runbooks could not be indexed.
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    opensearch: { type: 'string', value: 'URL', help: 'the cluster (default: $KB_OPENSEARCH_URL)' },
    content: { type: 'string', default: 'content', value: 'DIR', help: 'the content folder to index' },
    full: { type: 'boolean', default: false, help: 'rebuild into a new index and swap the alias to it' },
    alias: { type: 'string', value: 'NAME', help: 'the alias searches use (default: $KB_OPENSEARCH_INDEX, else kb-runbooks)' },
    replicas: { type: 'string', value: 'N', help: 'replicas of a new index (default: $KB_OPENSEARCH_REPLICAS, else 0)' },
    'resolutions-from': {
      type: 'string',
      value: 'TABLE',
      help: 'instead of runbooks, index the past tickets and feedback stored in this DynamoDB table (the stream brings the last 24 hours only)',
    },
    'resolution-alias': {
      type: 'string',
      value: 'NAME',
      help: 'with --resolutions-from (default: $KB_RESOLUTION_ALIAS, else kb-resolutions)',
    },
  });
  const target = connection(values.opensearch);
  const replicas = intOption(values.replicas ?? process.env.KB_OPENSEARCH_REPLICAS, '--replicas', 0);
  const table = values['resolutions-from'];
  if (table) {
    const alias = values['resolution-alias'] ?? process.env.KB_RESOLUTION_ALIAS ?? RESOLUTION_INDEX_DEFAULTS.alias;
    return indexResolutions({ target, table, alias, replicas });
  }
  const alias = values.alias ?? process.env.KB_OPENSEARCH_INDEX ?? 'kb-runbooks';

  const bar = progress('compiling');
  // In threads under the compile budget, as kb build and kb serve compile: a hostile file is
  // skipped and reported instead of holding the command; unchanged files come from the cache.
  const pool = compilePool();
  const library = await loadLibrary(new FsContentSource(values.content), {
    onProgress: bar.update,
    compile: pool,
    cache: await localCompileCache(values.content),
  })
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new CliError(`no content folder at ${values.content}`, 1);
      throw error;
    })
    .finally(() => pool.close());
  bar.end();
  for (const failure of library.failures) {
    for (const m of failure.messages) process.stderr.write(`${formatMessage(`${values.content}/${failure.path}`, m)} (skipped)\n`);
  }
  process.stdout.write(`compiled ${library.runbooks.length} runbooks from ${values.content} (${library.failures.length} skipped)\n`);

  // The installed model, as `kb serve --opensearch` uses it: runbooks get their meaning vectors, so
  // the index serves hybrid retrieval, and one built with another model (or none) is rebuilt.
  const embedder = await sharedEmbedder().catch((error: Error) => {
    throw new CliError(`the embedding model cannot be loaded: ${error.message}`, 1);
  });
  const index = OpenSearchRunbookIndex.connect(target, { alias, replicas, embedder });
  step(`${values.full ? 'rebuilding' : 'syncing'} ${alias} on ${index.node}…`);
  const started = performance.now();
  const report = await syncIndex(index, library.runbooks, { full: values.full }).catch((error: unknown) => {
    if (error instanceof OpenSearchUnavailableError) {
      throw new CliError(`${error.message}\nnothing was swapped: alias ${alias} is as it was`, 1);
    }
    if (error instanceof OpenSearchRequestError || error instanceof Error) throw new CliError(error.message, 1);
    throw error;
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const line of describe(report, alias)) process.stdout.write(`${line}\n`);
  process.stdout.write(`done in ${seconds} s on ${index.node}\n`);
  return report.failed.length > 0 || (report.mode === 'full' && !report.swapped) ? 1 : 0;
}
