/**
 * A linear pre-scan of a Markdown text for the shapes that make remark slow or deep before remark
 * ever sees them. micromark resolves emphasis and brackets by searching back through every open
 * delimiter of a paragraph: 4,000 nested `![` take 22 s, 8,000 nested `*a ` take 49 s and then
 * overflow the stack, 24,000 alternating `*_` take 20 s; 100,000 headings take 11 s and 1 GB.
 *
 * The scan is an estimate, deliberately on the generous side for real text: code (fenced blocks
 * and code spans) is skipped, every list item, table row and heading starts a new inline context
 * (as it does in Markdown), and a closer only cancels an opener of its own kind. It runs in one
 * pass: every opener is pushed and popped at most once.
 */

export interface ScanLimits {
  /** Open brackets plus emphasis openers not yet closed, within one paragraph. */
  maxInlineDepth: number;
  /** Emphasis delimiter runs and brackets in one paragraph: micromark's resolver is quadratic in them. */
  maxInlineMarkers: number;
  /** Headings in the file (ATX and setext). */
  maxSections: number;
}

export type ScanViolation =
  | { kind: 'inline-depth'; depth: number; line: number; column: number }
  | { kind: 'inline-markers'; markers: number; line: number; column: number }
  | { kind: 'sections'; sections: number; line: number };

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
/** Lines that begin a block of their own: list items and headings. */
const BLOCK_START = /^[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#)/;
/** A GFM table's delimiter row (`|---|:--:|`): from here to a blank line, each row's cells are parsed apart. */
const TABLE_DELIMITER_ROW = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$|^[ \t]*\|[ \t]*:?-+:?[ \t]*\|[ \t]*$/;
const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;

type Opener = '[' | '*' | '_';

/** The inline state of one paragraph: its open delimiters and how many markers it has seen. */
class InlineContext {
  private readonly stack: Opener[] = [];
  private readonly open = { '[': 0, '*': 0, _: 0 };
  markers = 0;

  get depth(): number {
    return this.stack.length;
  }

  reset(): void {
    this.stack.length = 0;
    this.open['['] = this.open['*'] = this.open._ = 0;
    this.markers = 0;
  }

  push(kind: Opener): void {
    this.stack.push(kind);
    this.open[kind] += 1;
    this.markers += 1;
  }

  /** Closes the innermost opener of `kind` (and whatever opened inside it); false when none is open. */
  close(kind: Opener): boolean {
    this.markers += 1;
    if (this.open[kind] === 0) return false;
    for (let top = this.stack.pop(); top !== undefined; top = this.stack.pop()) {
      this.open[top] -= 1;
      if (top === kind) break;
    }
    return true;
  }
}

/** CommonMark's flanking rules for a `*` or `_` run between `before` and `after` ('' at a line's ends). */
function delimiterRole(char: '*' | '_', before: string, after: string): { canOpen: boolean; canClose: boolean } {
  const spaceBefore = before === '' || WHITESPACE.test(before);
  const spaceAfter = after === '' || WHITESPACE.test(after);
  const punctBefore = before !== '' && PUNCTUATION.test(before);
  const punctAfter = after !== '' && PUNCTUATION.test(after);
  const left = !spaceAfter && (!punctAfter || spaceBefore || punctBefore);
  const right = !spaceBefore && (!punctBefore || spaceAfter || punctAfter);
  if (char === '*') return { canOpen: left, canClose: right };
  return { canOpen: left && (!right || punctBefore), canClose: right && (!left || punctAfter) };
}

/** For each backtick run on a line, the index of the next run of the same length (a code span's end). */
function codeSpanEnds(line: string): Map<number, number> {
  const runs: { at: number; length: number }[] = [];
  for (let i = line.indexOf('`'); i !== -1; i = line.indexOf('`', i)) {
    let end = i;
    while (line[end] === '`') end++;
    runs.push({ at: i, length: end - i });
    i = end;
  }
  const ends = new Map<number, number>();
  const nextOfLength = new Map<number, number>();
  for (let r = runs.length - 1; r >= 0; r--) {
    const run = runs[r] as { at: number; length: number };
    const next = nextOfLength.get(run.length);
    if (next !== undefined) ends.set(run.at, next + run.length);
    nextOfLength.set(run.length, run.at);
  }
  return ends;
}

/** Scans one line's inline content into the paragraph's context; a violation stops the scan. */
function scanInline(line: string, lineNo: number, context: InlineContext, limits: ScanLimits): ScanViolation | undefined {
  const spans = line.includes('`') ? codeSpanEnds(line) : undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (char === '\\') {
      i++;
    } else if (char === '`') {
      const end = spans?.get(i);
      if (end !== undefined) i = end - 1;
      else while (line[i + 1] === '`') i++;
    } else if (char === '[') {
      context.push('[');
    } else if (char === ']') {
      context.close('[');
    } else if (char === '*' || char === '_') {
      let end = i;
      while (line[end] === char) end++;
      const { canOpen, canClose } = delimiterRole(char, line[i - 1] ?? '', line[end] ?? '');
      if (!(canClose && context.close(char)) && canOpen) context.push(char);
      i = end - 1;
    } else {
      continue;
    }
    if (context.depth > limits.maxInlineDepth) return { kind: 'inline-depth', depth: context.depth, line: lineNo, column: i + 1 };
    if (context.markers > limits.maxInlineMarkers) {
      return { kind: 'inline-markers', markers: context.markers, line: lineNo, column: i + 1 };
    }
  }
  return undefined;
}

/** Where the frontmatter ends (the line after its closing `---`), or 0 when there is none. */
function frontmatterEnd(lines: readonly string[]): number {
  if (lines[0]?.trimEnd() !== '---') return 0;
  for (let i = 1; i < lines.length; i++) if (lines[i]?.trimEnd() === '---') return i + 1;
  return 0;
}

/**
 * Returns the first place a text goes past `limits`, or undefined when it stays within them.
 *
 * @example
 * scanMarkdown('![' .repeat(4000) + 'x' + '](u)'.repeat(4000), limits) // { kind: 'inline-depth', … }
 */
export function scanMarkdown(text: string, limits: ScanLimits): ScanViolation | undefined {
  const lines = text.split('\n');
  const context = new InlineContext();
  let sections = 0;
  let fence: string | undefined;
  let previousIsText = false;
  let inTable = false;
  for (let index = frontmatterEnd(lines); index < lines.length; index++) {
    const line = lines[index] as string;
    const lineNo = index + 1;
    if (fence !== undefined) {
      if (line.trimStart().startsWith(fence)) fence = undefined;
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      fence = opening[1] as string;
      context.reset();
      previousIsText = false;
      continue;
    }
    if (line.trim() === '') {
      context.reset();
      previousIsText = inTable = false;
      continue;
    }
    if (!inTable && TABLE_DELIMITER_ROW.test(line)) inTable = true;
    const heading: boolean = ATX_HEADING.test(line) || (previousIsText && SETEXT_UNDERLINE.test(line));
    if (heading && ++sections > limits.maxSections) return { kind: 'sections', sections, line: lineNo };
    if (heading || inTable || BLOCK_START.test(line)) context.reset();
    const violation = scanInline(line, lineNo, context, limits);
    if (violation) return violation;
    if (heading) context.reset();
    previousIsText = !heading;
  }
  return undefined;
}
