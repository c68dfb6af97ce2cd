import { tierFromPath } from '../../runbook/meta.ts';
import { lintData, report, runbookRule } from '../rule.ts';

/**
 * A runbook lives in the folder of its tier, so a reviewer sees the audience from the path.
 *
 * not-ok: `content/l1/x.md` with `tier: l3` → "Unexpected tier `l3` in folder `l1`, expected `tier: l1` or a move to an `l3` folder"
 */
export default runbookRule('tier-folder', (_tree, file) => {
  const { runbook, fieldPositions } = lintData(file);
  const folderTier = tierFromPath(runbook.path);
  const tier = runbook.meta.tier;
  if (!folderTier || folderTier === tier || runbook.inferred.includes('tier')) return;
  report(
    file,
    `Unexpected tier \`${tier}\` in folder \`${folderTier}\`, expected \`tier: ${folderTier}\` or a move to an \`${tier}\` folder`,
    fieldPositions.get('tier'),
    `Say who follows it: \`git mv\` the file to \`${tier}/\`, or set \`tier: ${folderTier}\` if ${folderTier} agents may follow it`,
  );
});
