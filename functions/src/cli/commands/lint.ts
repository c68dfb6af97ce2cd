import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { FsContentSource } from '../../adapters/fs/fs-content-source.ts';
import { type LibrarySettings, loadSettings } from '../../app/load-library.ts';
import { type FileReport, lintLibrary } from '../../core/lint/lint.ts';
import type { Message } from '../../core/runbook/model.ts';
import { TaxonomyError } from '../../core/runbook/taxonomy.ts';
import { parse, tierOption, today } from '../args.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { progress } from '../progress.ts';

interface Target {
  root: string;
  /** Only these files are reported (all of the root when undefined); the whole root is still read. */
  only?: Set<string>;
}

/** The content root of a file: the nearest folder with a taxonomy.yaml, else the file's folder. */
function rootOf(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'taxonomy.yaml'))) return dir;
  }
  return dirname(file);
}

function targetsOf(paths: string[]): Target[] {
  const byRoot = new Map<string, Target>();
  for (const path of paths) {
    const absolute = resolve(path);
    if (!existsSync(absolute)) throw new CliError(`no such file or folder: ${path}`);
    if (statSync(absolute).isDirectory()) {
      byRoot.set(absolute, { root: absolute });
      continue;
    }
    const root = rootOf(absolute);
    const target = byRoot.get(root) ?? { root, only: new Set<string>() };
    target.only?.add(relative(root, absolute).split('\\').join('/'));
    byRoot.set(root, target);
  }
  return [...byRoot.values()];
}

/**
 * The library's settings, and a malformed taxonomy.yaml as a lint error at its line rather than a
 * crash: its runbooks are still checked, against no category list.
 */
async function settingsOf(source: FsContentSource): Promise<{ settings: LibrarySettings; problems?: FileReport }> {
  try {
    return { settings: await loadSettings(source) };
  } catch (error) {
    if (!(error instanceof TaxonomyError)) throw error;
    const message: Message = {
      severity: 'error',
      fatal: true,
      ruleId: 'taxonomy',
      reason: error.reason,
      hint: 'Fix taxonomy.yaml as content/README.md describes: categories, teams, and escalation naming team ids',
      line: error.line,
      column: error.column,
    };
    return { settings: {}, problems: { path: 'taxonomy.yaml', messages: [message], hash: '' } };
  }
}

/** One line per message, `path:line:col severity message rule-id`, as editors and CI annotations read it. */
export function formatMessage(path: string, m: Message): string {
  return `${path}:${m.line ?? 1}:${m.column ?? 1} ${m.severity} ${m.reason} ${m.ruleId}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    format: { type: 'string', default: 'text', value: 'text|json', help: 'text: one line per message and its hint; json: one object' },
    strict: { type: 'boolean', default: false, help: "hold foreign Markdown to the authors' contract too" },
    'default-tier': { type: 'string', value: 'TIER', help: 'tier of files whose frontmatter and folder name none (default: l2)' },
    quiet: { type: 'boolean', short: 'q', default: false, help: 'print errors only' },
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
  const defaultTier = tierOption(values['default-tier'], '--default-tier');
  const reports: (FileReport & { display: string })[] = [];
  for (const target of targetsOf(positionals.length > 0 ? positionals : ['content'])) {
    const source = new FsContentSource(target.root);
    const { settings, problems } = await settingsOf(source);
    if (problems && (!target.only || target.only.has('taxonomy.yaml'))) {
      reports.push({ ...problems, display: relative(process.cwd(), join(target.root, problems.path)) });
    }
    const paths = await source.list();
    const sources = await Promise.all(paths.map(async (path) => ({ path, bytes: await source.read(path) })));
    const bar = progress('checking');
    const results = lintLibrary(sources, {
      onProgress: bar.update,
      today: today(),
      strict: values.strict,
      ...(defaultTier ? { defaultTier } : {}),
      ...(settings.categories ? { categories: settings.categories } : {}),
    });
    bar.end();
    for (const report of results) {
      if (target.only && !target.only.has(report.path)) continue;
      reports.push({ ...report, display: relative(process.cwd(), join(target.root, report.path)) });
    }
  }

  let errors = 0;
  let warnings = 0;
  for (const r of reports) {
    for (const m of r.messages) {
      if (m.severity === 'error') errors++;
      else if (m.severity === 'warning') warnings++;
    }
  }
  if (values.format === 'json') {
    const files = reports.map((r) => ({ path: r.display, messages: r.messages }));
    process.stdout.write(`${JSON.stringify({ files, errors, warnings })}\n`);
  } else {
    for (const r of reports) {
      for (const m of r.messages) {
        if (values.quiet && m.severity !== 'error') continue;
        process.stdout.write(`${formatMessage(r.display, m)}\n${m.hint ? `  hint: ${m.hint}\n` : ''}`);
      }
    }
    process.stderr.write(`${reports.length} files: ${errors} errors, ${warnings} warnings\n`);
  }
  return errors > 0 ? 1 : 0;
}
