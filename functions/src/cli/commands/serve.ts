import { connectionFromEnv, displayNode } from '../../adapters/opensearch/client.ts';
import { OpenSearchUnavailableError } from '../../adapters/opensearch/errors.ts';
import type { Message } from '../../core/runbook/model.ts';
import { summarizeLibrary } from '../../core/runbook/summary.ts';
import { UnprotectedBindError } from '../../local/access-platform.ts';
import { localCompileCache } from '../../local/compile-cache.ts';
import { compilePool } from '../../local/compile-pool.ts';
import { DataDirInUseError } from '../../local/data-lock.ts';
import { oneLine } from '../../local/log-line.ts';
import { startLocalServer } from '../../local/server.ts';
import { intOption, parse, tierOption } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { progress } from '../progress.ts';
import { ACCESS_FLAGS, accessOptions } from '../serve-access.ts';
import { formatMessage } from './lint.ts';

/** ", with 2 lint errors and 1 warning", or nothing for a clean runbook. */
function lintSummary(messages: readonly Message[]): string {
  const errors = messages.filter((m) => m.severity === 'error').length;
  const warnings = messages.filter((m) => m.severity === 'warning').length;
  const parts = [errors ? plural(errors, 'lint error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean);
  return parts.length > 0 ? `, with ${parts.join(' and ')}` : '';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    content: { type: 'string', default: 'content', value: 'DIR', help: 'the content folder to serve' },
    data: { type: 'string', default: '.kb/dynamodb', value: 'DIR', help: 'where resolutions are stored' },
    port: { type: 'string', value: 'N', help: 'the port (default: $PORT, else 3000)' },
    host: { type: 'string', default: '127.0.0.1', value: 'HOST', help: 'the address to listen on' },
    'default-tier': { type: 'string', value: 'TIER', help: 'tier of files whose frontmatter and folder name none (default: l2)' },
    'no-watch': { type: 'boolean', default: false, help: 'do not re-index files as they change' },
    opensearch: { type: 'string', value: 'URL', help: 'search on this OpenSearch cluster (default: $KB_OPENSEARCH_URL)' },
    ...ACCESS_FLAGS,
  });
  // --opensearch URL (or KB_OPENSEARCH_URL, with KB_OPENSEARCH_AUTH…): search on that cluster.
  const opensearch = (() => {
    try {
      return connectionFromEnv(process.env, values.opensearch);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  })();
  const port = intOption(values.port ?? process.env.PORT, '--port', 3000);
  const defaultTier = tierOption(values['default-tier'], '--default-tier');
  const bar = progress('indexing');
  const started = performance.now();
  // One line per entry, whatever a file name holds (a name with a newline cannot forge entries).
  const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${oneLine(line)}\n`);
  const server = await startLocalServer({
    contentDir: values.content,
    port,
    host: values.host,
    webDir: 'web/dist',
    dataDir: values.data,
    ...(opensearch ? { opensearch: { connection: opensearch, alias: process.env.KB_OPENSEARCH_INDEX ?? 'kb-runbooks' } } : {}),
    watch: !values['no-watch'],
    access: accessOptions(values),
    load: {
      onProgress: bar.update,
      compile: compilePool(),
      cache: await localCompileCache(values.content),
      ...(defaultTier ? { defaultTier } : {}),
    },
    events: {
      indexed: (path, id, messages) => {
        log(`re-indexed ${path} (${id})${lintSummary(messages)}`);
        for (const m of messages) log(`${formatMessage(`${values.content}/${path}`, m)}${m.hint ? `  hint: ${m.hint}` : ''}`);
      },
      removed: (path, id) => log(`removed ${path} (${id})`),
      skipped: (path, messages) => {
        for (const m of messages) log(`${formatMessage(`${values.content}/${path}`, m)} (not indexed)`);
      },
      settings: (file) => log(`reloaded ${file}`),
    },
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use; pass --port or set PORT`, 1);
    if (error.code === 'ENOENT') throw new CliError(`no content folder at ${values.content}`, 1);
    if (error instanceof OpenSearchUnavailableError) throw new CliError(error.message, 1);
    if (error instanceof UnprotectedBindError) throw new CliError(error.message, 1);
    if (error instanceof DataDirInUseError) throw new CliError(error.message, 1);
    throw error;
  });
  bar.end();
  const { library } = server.platform;
  const summary = summarizeLibrary(library.runbooks, library.failures);
  for (const failure of library.failures) {
    for (const m of failure.messages) log(`${formatMessage(`${values.content}/${failure.path}`, m)} (skipped)`);
  }
  const tiers = Object.entries(summary.byTier)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  log(
    `indexed ${summary.compiled} runbooks (${tiers}) from ${values.content} in ${((performance.now() - started) / 1000).toFixed(1)} s; ${summary.skipped} skipped`,
  );
  if (opensearch) log(`searching on OpenSearch at ${displayNode(opensearch.node)}`);
  log(`runbook-kb is serving on ${server.url}  (API docs: ${server.url}/docs)`);
  if (!values['no-watch']) log(`watching ${values.content} for changes`);
  const { embedding } = server;
  if (embedding) {
    const since = performance.now();
    log(`answering by words while the model embeds ${embedding.runbooks} runbooks for meaning; the next start reuses their vectors`);
    embedding.done.then(
      (count) => {
        if (count !== undefined) log(`meaning ready: ${count} runbooks embedded in ${((performance.now() - since) / 1000).toFixed(1)} s`);
      },
      (error: Error) => log(`the model failed (${error.message}): answering by words only until a restart`),
    );
  }

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
