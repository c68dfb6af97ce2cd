import { isStale } from '../../runbook/stale.ts';
import { lintData, report, runbookRule } from '../rule.ts';

/**
 * A runbook past its `review-by` date may describe a system that has changed since (KCS: content
 * is reviewed as it is reused). A warning by default, so an old runbook still ships.
 *
 * not-ok: `review-by: 2020-01-01` → "Stale: `review-by` 2020-01-01 has passed, expected a review"
 */
export default runbookRule('stale', (_tree, file) => {
  const { runbook, today, fieldPositions } = lintData(file);
  if (!isStale(runbook.meta.reviewBy, today)) return;
  report(
    file,
    `Stale: \`review-by\` ${runbook.meta.reviewBy} has passed, expected a review and a new date`,
    fieldPositions.get('review-by'),
    "Check the steps against today's systems, then set `review-by` to a date up to a year ahead",
  );
});
