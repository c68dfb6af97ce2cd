import { unified } from 'unified';
import { VFile } from 'vfile';
import { type CompileOptions, compileRunbook, type SourceFile } from '../runbook/compile.ts';
import type { CompiledRunbook, Message } from '../runbook/model.ts';
import type { LibraryView } from './context.ts';
import remarkRunbookFencedCommands from './plugins/remark-runbook-fenced-commands.ts';
import remarkRunbookFrontmatterSchema from './plugins/remark-runbook-frontmatter-schema.ts';
import remarkRunbookInternalLinks from './plugins/remark-runbook-internal-links.ts';
import remarkRunbookRequiredSections from './plugins/remark-runbook-required-sections.ts';
import remarkRunbookStale from './plugins/remark-runbook-stale.ts';
import remarkRunbookTierFolder from './plugins/remark-runbook-tier-folder.ts';
import remarkRunbookUniqueId from './plugins/remark-runbook-unique-id.ts';
import type { RuleSeverity } from './report.ts';

export const RULES = {
  'frontmatter-schema': remarkRunbookFrontmatterSchema,
  'required-sections': remarkRunbookRequiredSections,
  'tier-folder': remarkRunbookTierFolder,
  'unique-id': remarkRunbookUniqueId,
  'internal-links': remarkRunbookInternalLinks,
  stale: remarkRunbookStale,
  'fenced-commands': remarkRunbookFencedCommands,
} as const;

export type RuleId = keyof typeof RULES;

export interface LintOptions extends Partial<CompileOptions> {
  /** Per-rule severity overrides; each rule has its documented default. */
  rules?: Partial<Record<RuleId, RuleSeverity>>;
  /** YYYY-MM-DD; the `stale` rule compares `review-by` with it. */
  today: string;
}

export interface FileReport {
  path: string;
  messages: Message[];
  runbook?: CompiledRunbook;
}

function lintProcessor(rules: LintOptions['rules'] = {}) {
  const processor = unified();
  for (const [id, plugin] of Object.entries(RULES)) {
    const severity = rules[id as RuleId];
    processor.use(plugin, severity ? { severity } : {});
  }
  return processor.freeze();
}

function fromVFile(file: VFile): Message[] {
  return file.messages.map((m) => ({
    severity: m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info',
    fatal: false,
    ruleId: m.ruleId ?? 'unknown',
    reason: m.reason,
    ...(m.line === undefined ? {} : { line: m.line }),
    ...(m.column === undefined ? {} : { column: m.column }),
  }));
}

function byPosition(a: Message, b: Message): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Compiles and checks a set of runbooks as one library (ids and links are checked across files).
 * Returns every file's messages; a file that could not be compiled has its fatal message only.
 */
export function lintLibrary(sources: readonly SourceFile[], options: LintOptions): FileReport[] {
  const compiled = sources.map((source) => ({ source, result: compileRunbook(source, options) }));
  const ids = new Map<string, string[]>();
  for (const { result } of compiled) {
    if (!result.ok) continue;
    const paths = ids.get(result.runbook.id) ?? [];
    paths.push(result.runbook.path);
    ids.set(result.runbook.id, paths);
  }
  const library: LibraryView = { ids, paths: new Set(sources.map((s) => s.path)) };
  const processor = lintProcessor(options.rules);

  return compiled.map(({ source, result }) => {
    if (!result.ok || !result.tree) {
      return { path: source.path, messages: result.ok ? [] : result.failure.messages };
    }
    const file = new VFile({ path: source.path });
    file.data.runbookKb = {
      runbook: result.runbook,
      fieldPositions: result.fieldPositions ?? new Map(),
      library,
      today: options.today,
      strict: options.strict ?? false,
    };
    processor.runSync(result.tree, file);
    const compileOnly = result.runbook.messages.filter((m) => m.ruleId !== 'frontmatter-schema');
    return { path: source.path, runbook: result.runbook, messages: [...compileOnly, ...fromVFile(file)].sort(byPosition) };
  });
}
