import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { lintData, type RuleOptions, report } from '../report.ts';

/**
 * Frontmatter fields, types and values (content/README.md, "Frontmatter"). The compiler already
 * validated them while building the runbook's metadata; this rule reports what it found, so
 * severity stays configuration like every other rule.
 *
 * not-ok: `tier: l5` → "Unexpected value for `tier`: expected one of l1, l2, l3, infra"
 */
export default function remarkRunbookFrontmatterSchema(options: RuleOptions = {}) {
  return (_tree: Root, file: VFile) => {
    const { runbook } = lintData(file);
    for (const m of runbook.messages) {
      if (m.ruleId !== 'frontmatter-schema') continue;
      const place = m.line === undefined ? undefined : { line: m.line, column: m.column ?? 1 };
      report(file, 'frontmatter-schema', options.severity ?? (m.severity === 'error' ? 'error' : 'warning'), m.reason, place);
    }
  };
}
