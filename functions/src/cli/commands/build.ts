import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FsContentSource } from '../../adapters/fs/fs-content-source.ts';
import { loadLibrary } from '../../app/load-library.ts';
import { summarizeLibrary } from '../../core/runbook/summary.ts';
import { compilePool } from '../../local/compile-pool.ts';
import { parse, tierOption } from '../args.ts';
import { progress } from '../progress.ts';
import { formatMessage } from './lint.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    content: { type: 'string', default: 'content' },
    out: { type: 'string', default: '.kb/bundle.json' },
    strict: { type: 'boolean', default: false },
    'default-tier': { type: 'string' },
  });
  const defaultTier = tierOption(values['default-tier'], '--default-tier');
  const bar = progress('compiling');
  const started = performance.now();
  const library = await loadLibrary(new FsContentSource(values.content), {
    strict: values.strict,
    ...(defaultTier ? { defaultTier } : {}),
    onProgress: bar.update,
    compile: compilePool(),
  });
  bar.end();
  const seconds = (performance.now() - started) / 1000;
  const summary = summarizeLibrary(library.runbooks, library.failures);

  for (const failure of library.failures) {
    for (const m of failure.messages) process.stderr.write(`${formatMessage(`${values.content}/${failure.path}`, m)} (skipped)\n`);
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
      `  warnings: ${summary.warnings}, errors: ${summary.errors}, skipped: ${summary.skipped}`,
      `  bundle: ${values.out}`,
      '',
    ].join('\n'),
  );
  return summary.skipped > 0 ? 1 : 0;
}
