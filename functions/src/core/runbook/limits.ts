/**
 * Input limits. Past them a file is reported and skipped; the rest of the library still builds.
 * Documented for authors in content/README.md ("Limits").
 */
export interface InputLimits {
  /** Bytes. Runbooks are read during a phone call; a bigger file is an export gone wrong. */
  maxFileBytes: number;
  maxFrontmatterBytes: number;
  /** YAML aliases per document: stops "billion laughs" alias bombs. */
  maxYamlAliases: number;
  /** Block quotes plus list levels on one line: deep nesting exhausts the stack of tree walkers. */
  maxNestingDepth: number;
  /** Open emphasis, links and images inside one another in a paragraph (see inline-scan.ts). */
  maxInlineDepth: number;
  /** Emphasis delimiters and brackets in one paragraph: the parser's cost grows with their square. */
  maxInlineMarkers: number;
  /** Headings per runbook: each is a section, and 100,000 of them took 1 GB to compile. */
  maxSections: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxFileBytes: 1024 * 1024,
  maxFrontmatterBytes: 64 * 1024,
  maxYamlAliases: 100,
  maxNestingDepth: 64,
  // Measured on 3,321 real articles and runbooks (office support, alert runbooks, content/): at
  // most 7 levels, 46 markers in a paragraph and 170 headings. Each limit leaves room many times over.
  maxInlineDepth: 32,
  maxInlineMarkers: 1_000,
  maxSections: 1_000,
};

export interface NestingViolation {
  depth: number;
  line: number;
}

const LIST_OR_QUOTE_MARKER = /^[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?/;

/**
 * Estimates the container nesting of every line without parsing: each `>` or list marker at the
 * start of a line opens one level, and every two columns of indentation count as one more.
 * Returns the first line deeper than `max`, so pathological input is rejected before the parser
 * and the tree walkers ever see it.
 */
export function findExcessiveNesting(text: string, max: number): NestingViolation | undefined {
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let rest = text.slice(start, Math.min(end, start + 4 * max + 64));
    const indent = rest.length - rest.trimStart().length;
    let depth = Math.floor(indent / 2);
    for (let match = LIST_OR_QUOTE_MARKER.exec(rest); match; match = LIST_OR_QUOTE_MARKER.exec(rest)) {
      depth += 1;
      rest = rest.slice(match[0].length);
      if (depth > max) return { depth, line };
    }
    if (depth > max) return { depth, line };
    start = end + 1;
    line += 1;
  }
  return undefined;
}
