import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { isStale } from '../../runbook/stale.ts';
import { lintData, type RuleOptions, report } from '../report.ts';

/**
 * A runbook past its `review-by` date may describe a system that has changed since (KCS: content
 * is reviewed as it is reused). A warning, so an old runbook still ships.
 *
 * not-ok: `review-by: 2020-01-01` → "Stale: `review-by` 2020-01-01 has passed, expected a review"
 */
export default function remarkRunbookStale(options: RuleOptions = {}) {
  return (_tree: Root, file: VFile) => {
    const { runbook, today, fieldPositions } = lintData(file);
    if (!isStale(runbook.meta.reviewBy, today)) return;
    const reason = `Stale: \`review-by\` ${runbook.meta.reviewBy} has passed, expected a review and a new date`;
    report(file, 'stale', options.severity ?? 'warning', reason, fieldPositions.get('review-by'));
  };
}
