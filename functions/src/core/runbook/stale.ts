/** True when a runbook's `review-by` date (YYYY-MM-DD) has passed; `today` is injected for determinism. */
export function isStale(reviewBy: string | undefined, today: string): boolean {
  return reviewBy !== undefined && reviewBy < today;
}
