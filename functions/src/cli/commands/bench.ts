import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { intOption, parse } from '../args.ts';
import { UsageError } from '../cli-error.ts';

/**
 * `kb bench [--json] [--seconds N] [--size N]` prints every performance figure (bench/run-bench.ts).
 * `kb bench --serve N` is its search server, started in a child process: it loads only what a
 * server needs, so the memory it reports is the server's and not the load generator's.
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    json: { type: 'boolean', default: false, help: 'print one JSON line' },
    serve: { type: 'string' },
    queries: { type: 'string' },
    seconds: { type: 'string', value: 'N', help: 'seconds per load test (default: 5)' },
    size: { type: 'string', value: 'N', help: 'runbooks in the large library (default: 10000)' },
  });
  if (values.serve) {
    const synonyms = (await readFile('content/synonyms.txt', 'utf8').catch(() => '')) || '';
    const { BENCH_DIR, runBenchServer } = await import('../../bench/bench-server.ts');
    const library = join(BENCH_DIR, 'office-bundle.json');
    // Both files are written by `kb bench` before it starts this server; run alone, say so.
    for (const [file, what] of [
      [library, 'the compiled library'],
      [values.queries, 'the query file (--queries)'],
    ] as const) {
      if (!file || !existsSync(file))
        throw new UsageError(`--serve is kb bench's own search server and needs ${what}${file ? ` at ${file}` : ''}: run "kb bench"`);
    }
    await runBenchServer(library, intOption(values.serve, '--serve', 10_000), synonyms, values.queries as string);
    await new Promise(() => {}); // serve until the parent closes stdin
  }
  const { runBench } = await import('../../bench/run-bench.ts');
  await runBench({
    json: values.json,
    seconds: intOption(values.seconds, '--seconds', 5),
    large: intOption(values.size, '--size', 10_000),
  });
  return 0;
}
