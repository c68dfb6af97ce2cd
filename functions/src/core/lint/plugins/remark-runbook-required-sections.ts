import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { REQUIRED_SECTIONS } from '../../runbook/section-names.ts';
import { lintData, type RuleOptions, report } from '../report.ts';

const LABEL: Record<string, string> = {
  symptoms: 'Symptoms',
  cause: 'Cause',
  fix: 'Fix',
  verify: 'Verify',
  rollback: 'Rollback',
  escalation: 'Escalation',
};

/**
 * The sections a tier requires (content/README.md, "Sections"). Foreign Markdown is only held to
 * this with `--strict`: existing docs are welcome as they are.
 *
 * not-ok: an l3 runbook without `## Rollback` → "Missing section `## Rollback`, required for l3 runbooks"
 */
export default function remarkRunbookRequiredSections(options: RuleOptions = {}) {
  return (tree: Root, file: VFile) => {
    const { runbook, strict } = lintData(file);
    if (!runbook.native && !strict) return;
    const present = new Set(runbook.sections.map((s) => s.kind));
    const end = tree.position?.end;
    for (const kind of REQUIRED_SECTIONS[runbook.meta.tier] ?? []) {
      if (present.has(kind)) continue;
      const reason = `Missing section \`## ${LABEL[kind] ?? kind}\`, required for ${runbook.meta.tier} runbooks`;
      report(file, 'required-sections', options.severity ?? 'error', reason, end);
    }
  };
}
