import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { compilePool } from '../../adapters/compile/compile-pool.ts';
import { FsContentSource } from '../../adapters/fs/fs-content-source.ts';
import { gatedCompile } from '../../app/budget-gate.ts';
import { loadLibrary } from '../../app/load-library.ts';
import { summarizeLibrary } from '../../core/runbook/summary.ts';
import { localCompileCache } from '../../local/compile-cache.ts';
import { oneLine } from '../../local/log-line.ts';
import { parse, tierOption, today } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { compileWithLint } from '../lint-compile.ts';
import { progress } from '../progress.ts';
import { formatMessage } from './lint.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    content: { type: 'string', default: 'content', value: 'DIR', help: 'the content folder to compile' },
    out: { type: 'string', default: '.kb/bundle.json', value: 'FILE', help: 'where to write the bundle' },
    strict: { type: 'boolean', default: false, help: "hold foreign Markdown to the authors' contract too" },
    'default-tier': { type: 'string', value: 'TIER', help: 'tier of files whose frontmatter and folder name none (default: l2)' },
  });
  const defaultTier = tierOption(values['default-tier'], '--default-tier');
  const bar = progress('compiling');
  const started = performance.now();
  // Every file first compiles in a thread under a time and memory budget (cached by content hash),
  // so a hostile file is skipped before lint parses it in this thread.
  const pool = compilePool();
  const compile = gatedCompile(pool, compileWithLint(today()), await localCompileCache(values.content));
  const library = await loadLibrary(new FsContentSource(values.content), {
    strict: values.strict,
    ...(defaultTier ? { defaultTier } : {}),
    onProgress: bar.update,
    // Through lint, so "warnings: N" here is the N that `kb lint` reports.
    compile,
  })
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new CliError(`no content folder at ${values.content}`, 1);
      throw error;
    })
    .finally(() => pool.close());
  bar.end();
  const seconds = (performance.now() - started) / 1000;
  const summary = summarizeLibrary(library.runbooks, library.failures);

  for (const failure of library.failures) {
    for (const m of failure.messages) process.stderr.write(`${oneLine(formatMessage(`${values.content}/${failure.path}`, m))} (skipped)\n`);
  }
  await mkdir(dirname(values.out), { recursive: true });
  const bundle = { version: 1, builtAt: new Date().toISOString(), summary, runbooks: library.runbooks, failures: library.failures };
  await writeFile(values.out, JSON.stringify(bundle));

  const tiers = Object.entries(summary.byTier)
    .map(([tier, n]) => `${tier} ${n}`)
    .join(', ');
  process.stdout.write(
    [
      `Compiled ${summary.compiled} of ${summary.files} files in ${seconds.toFixed(2)} s (${Math.round(summary.files / seconds)} runbooks/s)`,
      `  by tier: ${tiers || 'none'}`,
      `  warnings: ${summary.warnings}, errors: ${summary.errors}, skipped: ${summary.skipped}${summary.warnings + summary.errors > 0 ? ` (details: kb lint ${values.content})` : ''}`,
      `  compile cache: ${compile.stats.cacheHits} of ${summary.files} files unchanged; ${compile.stats.overBudget} over the compile budget`,
      `  bundle: ${values.out}`,
      '',
    ].join('\n'),
  );
  return summary.skipped > 0 ? 1 : 0;
}
