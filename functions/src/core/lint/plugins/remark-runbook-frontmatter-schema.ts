import { lintData, report, runbookRule } from '../rule.ts';

/**
 * Frontmatter fields, types and values (content/README.md, "Frontmatter"). The compiler already
 * validated them while building the runbook's metadata; this rule reports the errors it found, so
 * their severity is configuration like every other rule's. (Its warnings about foreign
 * frontmatter, fields ignored or inferred, are passed on by lintLibrary as they are.)
 *
 * not-ok: `tier: l5` → "Unexpected value for `tier`: expected one of l1, l2, l3, infra"
 */
export default runbookRule('frontmatter-schema', (_tree, file) => {
  const { runbook } = lintData(file);
  for (const m of runbook.messages) {
    if (m.ruleId !== 'frontmatter-schema' || m.severity !== 'error') continue;
    const place = m.line === undefined ? undefined : { line: m.line, column: m.column ?? 1 };
    report(file, m.reason, place, 'Correct the field as content/README.md ("Frontmatter") describes it');
  }
});
