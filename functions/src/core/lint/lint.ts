import GithubSlugger from 'github-slugger';
import type { Root } from 'mdast';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { type CompileOptions, type CompileWithTree, compileRunbook, type SourceFile } from '../runbook/compile.ts';
import type { CompiledRunbook, Message } from '../runbook/model.ts';
import { plainText } from '../runbook/plain-text.ts';
import type { LibraryView } from './context.ts';
import remarkRunbookAnchors from './plugins/remark-runbook-anchors.ts';
import remarkRunbookFencedCommands from './plugins/remark-runbook-fenced-commands.ts';
import remarkRunbookFrontmatterSchema from './plugins/remark-runbook-frontmatter-schema.ts';
import remarkRunbookInternalLinks from './plugins/remark-runbook-internal-links.ts';
import remarkRunbookPlaceholders from './plugins/remark-runbook-placeholders.ts';
import remarkRunbookRequiredSections from './plugins/remark-runbook-required-sections.ts';
import remarkRunbookStale from './plugins/remark-runbook-stale.ts';
import remarkRunbookTierFolder from './plugins/remark-runbook-tier-folder.ts';
import remarkRunbookUniqueId from './plugins/remark-runbook-unique-id.ts';
import { type RuleSeverity, SEVERITY_LABEL } from './rule.ts';

export type { RuleSeverity } from './rule.ts';

/** Every rule with its default severity (content/README.md, "Lint rules"). */
export const RULES = {
  'frontmatter-schema': { plugin: remarkRunbookFrontmatterSchema, severity: 'error' },
  'required-sections': { plugin: remarkRunbookRequiredSections, severity: 'error' },
  placeholders: { plugin: remarkRunbookPlaceholders, severity: 'error' },
  'tier-folder': { plugin: remarkRunbookTierFolder, severity: 'error' },
  'unique-id': { plugin: remarkRunbookUniqueId, severity: 'error' },
  'internal-links': { plugin: remarkRunbookInternalLinks, severity: 'error' },
  anchors: { plugin: remarkRunbookAnchors, severity: 'error' },
  stale: { plugin: remarkRunbookStale, severity: 'warning' },
  'fenced-commands': { plugin: remarkRunbookFencedCommands, severity: 'warning' },
} as const satisfies Record<string, { plugin: unknown; severity: RuleSeverity }>;

export type RuleId = keyof typeof RULES;

export interface LintOptions extends Partial<CompileOptions> {
  /** Per-rule severity overrides; each rule has its documented default. */
  rules?: Partial<Record<RuleId, RuleSeverity>>;
  /** YYYY-MM-DD; the `stale` rule compares `review-by` with it. */
  today: string;
  /** Called after each file is compiled, for progress on large libraries. */
  onProgress?: (done: number, total: number) => void;
}

export interface FileReport {
  path: string;
  messages: Message[];
  runbook?: CompiledRunbook;
  /** sha256 of the source bytes, also for files that could not be compiled. */
  hash: string;
}

/** Hints for what the compiler reports before any rule runs (files it could not read). */
const COMPILE_HINTS: Record<string, string> = {
  'frontmatter-yaml': 'Fix the YAML between the `---` lines (quote values that contain `:` or `#`)',
  'frontmatter-schema': 'Add the field, or leave it out to have it inferred (content/README.md, "Foreign Markdown")',
  encoding: 'Save the file as UTF-8',
  'empty-file': 'Write the runbook, or delete the file',
  'input-limits': 'Split the file or flatten its nesting (content/README.md, "Limits")',
  'unique-id': 'Give the newer runbook its own `id`',
};

function lintProcessor(rules: LintOptions['rules'] = {}) {
  const processor = unified();
  for (const [id, rule] of Object.entries(RULES)) {
    const severity = rules[id as RuleId] ?? rule.severity;
    processor.use(rule.plugin, [SEVERITY_LABEL[severity]]);
  }
  return processor.freeze();
}

/** With the default severities, the usual case, the processor is built once. */
const defaultProcessor = lintProcessor();

/** The ids headings get in the HTML (rehype-slug: GitHub's slugs, in document order). */
function headingAnchors(tree: Root): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  visit(tree, 'heading', (heading) => {
    anchors.add(slugger.slug(plainText(heading)));
  });
  return anchors;
}

function fromVFile(file: VFile): Message[] {
  return file.messages.map((m) => ({
    severity: m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info',
    fatal: false,
    ruleId: m.ruleId ?? 'unknown',
    reason: m.reason,
    ...(m.note ? { hint: m.note } : {}),
    ...(m.line === undefined ? {} : { line: m.line }),
    ...(m.column === undefined ? {} : { column: m.column }),
  }));
}

function withHint(m: Message): Message {
  const hint = m.hint ?? COMPILE_HINTS[m.ruleId];
  return hint ? { ...m, hint } : m;
}

function byPosition(a: Message, b: Message): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Compiles and checks a set of runbooks as one library (ids, links and anchors are checked across
 * files). Returns every file's messages, each with a hint; a file that could not be compiled has
 * its fatal message only.
 *
 * @example
 * const [report] = lintLibrary([{ path: 'l1/vpn.md', bytes }], { today: '2026-11-23' });
 * for (const m of report.messages) console.log(`${m.line}:${m.column} ${m.reason} (${m.hint})`);
 */
export function lintLibrary(sources: readonly SourceFile[], options: LintOptions): FileReport[] {
  // Progress counts compiled files: parsing is most of the time lint takes.
  const compiled = sources.map((source, i) => {
    const result = compileRunbook(source, options);
    options.onProgress?.(i + 1, sources.length);
    return { source, result };
  });
  const ids = new Map<string, string[]>();
  const anchors = new Map<string, Set<string>>();
  for (const { result } of compiled) {
    if (!result.ok) continue;
    const paths = ids.get(result.runbook.id) ?? [];
    paths.push(result.runbook.path);
    ids.set(result.runbook.id, paths);
    if (result.tree) anchors.set(result.runbook.path, headingAnchors(result.tree));
  }
  const library: LibraryView = { ids, paths: new Set(sources.map((s) => s.path)), anchors };
  const processor = options.rules ? lintProcessor(options.rules) : defaultProcessor;

  return compiled.map(({ source, result }) => reportOf(source, result, library, processor, options));
}

type Processor = ReturnType<typeof lintProcessor>;

function reportOf(
  source: SourceFile,
  result: CompileWithTree,
  library: LibraryView,
  processor: Processor,
  options: LintOptions,
): FileReport {
  if (!result.ok) return { path: source.path, hash: result.failure.hash, messages: result.failure.messages.map(withHint) };
  const file = new VFile({ path: source.path });
  if (result.tree) {
    file.data.runbookKb = {
      runbook: result.runbook,
      fieldPositions: result.fieldPositions ?? new Map(),
      library,
      today: options.today,
      strict: options.strict ?? false,
    };
    processor.runSync(result.tree, file);
  }
  // The compiler's frontmatter errors come back through their rule, with its severity; its
  // warnings about foreign frontmatter (fields ignored or inferred) pass as they are.
  const compileOnly = result.runbook.messages.filter((m) => !(m.ruleId === 'frontmatter-schema' && m.severity === 'error'));
  const messages = [...compileOnly, ...fromVFile(file)].map(withHint).sort(byPosition);
  return { path: source.path, hash: result.runbook.hash, runbook: result.runbook, messages };
}

/**
 * Checks one file against a library already known (`kb serve` re-indexing a saved runbook): the
 * other files' ids, paths and heading ids come from `library`, this file's from itself.
 *
 * @example lintInLibrary({ path: 'l1/vpn.md', bytes }, libraryView, { today: '2026-11-23' }).messages
 */
export function lintInLibrary(source: SourceFile, library: LibraryView, options: LintOptions): FileReport {
  const result = compileRunbook(source, options);
  const ids = new Map([...library.ids].map(([id, paths]) => [id, paths.filter((p) => p !== source.path)] as const));
  const anchors = new Map(library.anchors);
  if (result.ok) {
    ids.set(result.runbook.id, [...(ids.get(result.runbook.id) ?? []), source.path]);
    if (result.tree) anchors.set(source.path, headingAnchors(result.tree));
  }
  const view: LibraryView = { ids, paths: new Set([...library.paths, source.path]), anchors };
  return reportOf(source, result, view, options.rules ? lintProcessor(options.rules) : defaultProcessor, options);
}
