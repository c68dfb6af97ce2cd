import { REQUIRED_SECTIONS } from '../../runbook/section-names.ts';
import { lintData, report, runbookRule } from '../rule.ts';
import { SECTION_PURPOSE } from '../section-purpose.ts';

/**
 * The sections a tier requires (content/README.md, "Sections"). Foreign Markdown is only held to
 * this with `--strict`: existing docs are welcome as they are. A missing section is reported at
 * the end of the last one, where an editor can jump and add it.
 *
 * not-ok: an l3 runbook without `## Rollback` → "Missing section `## Rollback`, required for l3 runbooks"
 */
export default runbookRule('required-sections', (tree, file) => {
  const { runbook, strict } = lintData(file);
  if (!runbook.native && !strict) return;
  const present = new Set(runbook.sections.map((s) => s.kind));
  // The end of the last node, not of the tree: the tree ends after the final newline, on a line
  // editors do not count.
  const end = tree.children.at(-1)?.position?.end ?? tree.position?.end;
  for (const kind of REQUIRED_SECTIONS[runbook.meta.tier] ?? []) {
    if (present.has(kind)) continue;
    const purpose = SECTION_PURPOSE[kind];
    const heading = purpose?.heading ?? kind;
    report(
      file,
      `Missing section \`## ${heading}\`, required for ${runbook.meta.tier} runbooks`,
      end,
      `Add \`## ${heading}\`${purpose ? `: ${purpose.says}` : ''}`,
    );
  }
});
