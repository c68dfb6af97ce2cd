import type { Root } from 'mdast';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { InputLimits } from './limits.ts';
import type { Message } from './model.ts';

export interface Point {
  line: number;
  column: number;
}

export interface Frontmatter {
  data: Record<string, unknown>;
  /** Where each top-level key sits in the file, for messages that point at a field. */
  positions: Map<string, Point>;
  /** Where the frontmatter block starts; messages about missing fields point here. */
  start: Point;
  present: boolean;
}

export type FrontmatterResult = { ok: true; frontmatter: Frontmatter } | { ok: false; message: Message };

const EMPTY: Frontmatter = { data: {}, positions: new Map(), start: { line: 1, column: 1 }, present: false };

function fatal(reason: string, point: Point): Message {
  return { severity: 'error', fatal: true, ruleId: 'frontmatter-yaml', reason, line: point.line, column: point.column };
}

/**
 * Reads the YAML frontmatter node of a parsed runbook. Syntax errors, alias bombs and non-mapping
 * frontmatter are fatal (the runbook's metadata cannot be trusted); they point at the offending line.
 */
export function readFrontmatter(tree: Root, limits: InputLimits): FrontmatterResult {
  // remark-frontmatter adds `toml` nodes that mdast's types do not list, hence the widened type.
  const node = tree.children[0] as { type: string; value?: string; position?: { start: { line: number } } } | undefined;
  if (!node || (node.type !== 'yaml' && node.type !== 'toml') || node.value === undefined) {
    return { ok: true, frontmatter: EMPTY };
  }
  const start = { line: node.position?.start.line ?? 1, column: 1 };
  if (node.type === 'toml') {
    return { ok: false, message: fatal('Unexpected TOML frontmatter (+++), expected YAML frontmatter (---)', start) };
  }
  if (node.value.length > limits.maxFrontmatterBytes) {
    return {
      ok: false,
      message: fatal(`Frontmatter is ${node.value.length} bytes, expected at most ${limits.maxFrontmatterBytes}`, start),
    };
  }
  // The YAML text starts on the line after the opening `---`.
  const offsetLine = start.line;
  const toFile = (line: number, col: number): Point => ({ line: line + offsetLine, column: col });
  const lineCounter = new LineCounter();
  const doc = parseDocument(node.value, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    const reason = `Invalid YAML frontmatter: ${error.message.split('\n')[0]}`;
    return { ok: false, message: fatal(reason, toFile(pos.line, pos.col)) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxYamlAliases });
  } catch (cause) {
    const reason = `Invalid YAML frontmatter: ${(cause as Error).message} (at most ${limits.maxYamlAliases} aliases)`;
    return { ok: false, message: fatal(reason, start) };
  }
  if (data === null || data === undefined) return { ok: true, frontmatter: { ...EMPTY, start, present: true } };
  if (typeof data !== 'object' || Array.isArray(data) || !isMap(doc.contents)) {
    return { ok: false, message: fatal('Unexpected frontmatter that is not a mapping, expected `key: value` lines', start) };
  }
  const positions = new Map<string, Point>();
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.range) {
      const pos = lineCounter.linePos(pair.key.range[0]);
      positions.set(String(pair.key.value), toFile(pos.line, pos.col));
    }
  }
  return { ok: true, frontmatter: { data: data as Record<string, unknown>, positions, start, present: true } };
}
