import type { VFile } from 'vfile';
import type { Point } from '../runbook/frontmatter.ts';

export type RuleSeverity = 'error' | 'warning' | 'off';

export interface RuleOptions {
  severity?: RuleSeverity;
}

/**
 * Reports one problem the way remark-lint does: a message on the file with its rule id and
 * position; `fatal: true` marks an error (it fails `kb lint`), `false` a warning.
 */
export function report(file: VFile, ruleId: string, severity: RuleSeverity, reason: string, place: Point | undefined): void {
  if (severity === 'off') return;
  const message = file.message(reason, {
    ruleId,
    source: 'remark-runbook',
    ...(place ? { place: { line: place.line, column: place.column } } : {}),
  });
  message.fatal = severity === 'error';
}

export function lintData(file: VFile) {
  const data = file.data.runbookKb;
  if (!data) throw new Error('remark-runbook rules need file.data.runbookKb; run them through lintLibrary()');
  return data;
}
