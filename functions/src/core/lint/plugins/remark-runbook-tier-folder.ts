import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { tierFromPath } from '../../runbook/meta.ts';
import { lintData, type RuleOptions, report } from '../report.ts';

/**
 * A runbook lives in the folder of its tier, so a reviewer sees the audience from the path.
 *
 * not-ok: `content/l1/x.md` with `tier: l3` → "Unexpected tier `l3` in folder `l1`, expected `tier: l1` or a move to an `l3` folder"
 */
export default function remarkRunbookTierFolder(options: RuleOptions = {}) {
  return (_tree: Root, file: VFile) => {
    const { runbook, fieldPositions } = lintData(file);
    const folderTier = tierFromPath(runbook.path);
    if (!folderTier || folderTier === runbook.meta.tier || runbook.inferred.includes('tier')) return;
    const reason = `Unexpected tier \`${runbook.meta.tier}\` in folder \`${folderTier}\`, expected \`tier: ${folderTier}\` or a move to an \`${runbook.meta.tier}\` folder`;
    report(file, 'tier-folder', options.severity ?? 'error', reason, fieldPositions.get('tier'));
  };
}
