import type { Root } from 'mdast';
import { lintRule } from 'unified-lint-rule';
import type { VFile } from 'vfile';
import type { Point } from '../runbook/frontmatter.ts';

/** What `kb lint` calls a rule's severity; unified-lint-rule spells a warning `warn`. */
export type RuleSeverity = 'error' | 'warning' | 'off';

export const SEVERITY_LABEL = { error: 'error', warning: 'warn', off: 'off' } as const;

/**
 * A runbook lint rule: a unified-lint-rule plugin (`remark-runbook:<id>`), so the rule id, the
 * source and the severity (`[severity, options]` configuration, `fatal` on each message) are
 * set by the library, not by each rule.
 */
export function runbookRule(id: string, check: (tree: Root, file: VFile) => void) {
  return lintRule<Root, undefined>({ origin: `remark-runbook:${id}` }, (tree, file) => check(tree, file));
}

/** Reports one problem at a place in the file, with a one-sentence hint on how to fix it. */
export function report(file: VFile, reason: string, place: Point | undefined, hint: string): void {
  const message = file.message(reason, place ? { place: { line: place.line, column: place.column } } : undefined);
  message.note = hint;
}

export function lintData(file: VFile) {
  const data = file.data.runbookKb;
  if (!data) throw new Error('remark-runbook rules need file.data.runbookKb; run them through lintLibrary()');
  return data;
}
