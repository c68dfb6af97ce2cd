import type { Root } from 'mdast';
import { decodeRunbookBytes } from './decode.ts';
import { type Point, readFrontmatter } from './frontmatter.ts';
import { type ScanViolation, scanMarkdown } from './inline-scan.ts';
import { DEFAULT_LIMITS, findExcessiveNesting, type InputLimits } from './limits.ts';
import { buildMeta } from './meta.ts';
import type { CompiledRunbook, CompileResult, Message, Tier } from './model.ts';
import { parseMarkdown, renderHtml } from './processor.ts';
import { extractStructure } from './structure.ts';

export interface CompileOptions {
  /** Tier for files whose frontmatter and folders name none. */
  defaultTier: Tier;
  /** Missing runbook-kb fields are errors rather than warnings. */
  strict: boolean;
  /** Category ids from taxonomy.yaml. */
  categories?: ReadonlySet<string>;
  limits: InputLimits;
}

export const DEFAULT_COMPILE_OPTIONS: CompileOptions = { defaultTier: 'l2', strict: false, limits: DEFAULT_LIMITS };

export interface SourceFile {
  /** POSIX path relative to the content root. */
  path: string;
  bytes: Uint8Array;
}

/** The compile result plus what lint rules need: the syntax tree and where frontmatter keys sit. */
export type CompileWithTree = CompileResult & { tree?: Root; fieldPositions?: ReadonlyMap<string, Point> };

function failure(path: string, hash: string, message: Message): CompileWithTree {
  return { ok: false, failure: { path, hash, messages: [message] } };
}

function scanMessage(violation: ScanViolation, limits: InputLimits): Message {
  const base = { severity: 'error', fatal: true, ruleId: 'input-limits', line: violation.line } as const;
  switch (violation.kind) {
    case 'inline-depth':
      return {
        ...base,
        column: violation.column,
        reason: `Unexpected inline nesting deeper than ${limits.maxInlineDepth} (emphasis, links and images inside one another), expected at most ${limits.maxInlineDepth}`,
      };
    case 'inline-markers':
      return {
        ...base,
        column: violation.column,
        reason: `Unexpected paragraph with more than ${limits.maxInlineMarkers} emphasis and link markers, expected at most ${limits.maxInlineMarkers}`,
      };
    case 'sections':
      return {
        ...base,
        column: 1,
        reason: `Unexpected runbook with more than ${limits.maxSections} headings, expected at most ${limits.maxSections}`,
      };
  }
}

/**
 * Compiles one Markdown file into a runbook. Never throws on content: problems come back as
 * messages with line and column, and a fatal one means the file is skipped.
 *
 * @example
 * const result = compileRunbook({ path: 'l1/vpn.md', bytes }, DEFAULT_COMPILE_OPTIONS);
 * if (result.ok) index.upsert([result.runbook]);
 */
export function compileRunbook(source: SourceFile, options: Partial<CompileOptions> = {}): CompileWithTree {
  const opts = { ...DEFAULT_COMPILE_OPTIONS, ...options };
  const decoded = decodeRunbookBytes(source.bytes, opts.limits);
  if (!decoded.ok) return failure(source.path, decoded.hash, decoded.message);

  const nesting = findExcessiveNesting(decoded.text, opts.limits.maxNestingDepth);
  if (nesting) {
    const reason = `Nesting depth ${nesting.depth} (block quotes and lists), expected at most ${opts.limits.maxNestingDepth}`;
    return failure(source.path, decoded.hash, {
      severity: 'error',
      fatal: true,
      ruleId: 'input-limits',
      reason,
      line: nesting.line,
      column: 1,
    });
  }

  // Linear, before the parser: what remark would take minutes or a gigabyte over is refused here.
  const scanned = scanMarkdown(decoded.text, opts.limits);
  if (scanned) return failure(source.path, decoded.hash, scanMessage(scanned, opts.limits));

  let tree: Root;
  let structure: ReturnType<typeof extractStructure>;
  let html: string;
  try {
    tree = parseMarkdown(decoded.text);
    structure = extractStructure(tree);
    html = renderHtml(tree);
  } catch (cause) {
    // The limits above should make this unreachable; if a parser still gives up, the file is
    // skipped with the reason rather than taking the whole build down.
    const reason = `Could not parse Markdown: ${(cause as Error).message}`;
    return failure(source.path, decoded.hash, { severity: 'error', fatal: true, ruleId: 'parse', reason });
  }

  const fm = readFrontmatter(tree, opts.limits);
  if (!fm.ok) return failure(source.path, decoded.hash, fm.message);

  const firstHeading = structure.titleHeading ?? structure.sections.find((s) => s.depth > 0)?.heading ?? undefined;
  const { meta, messages, inferred, native } = buildMeta(fm.frontmatter, {
    path: source.path,
    defaultTier: opts.defaultTier,
    strict: opts.strict,
    ...(firstHeading ? { firstHeading } : {}),
    ...(opts.categories ? { categories: opts.categories } : {}),
  });

  const runbook: CompiledRunbook = {
    id: meta.id,
    path: source.path,
    meta,
    sections: structure.sections,
    steps: structure.steps,
    links: structure.links,
    html,
    hash: decoded.hash,
    messages,
    inferred,
    native,
  };
  return { ok: true, runbook, tree, fieldPositions: fm.frontmatter.positions };
}
