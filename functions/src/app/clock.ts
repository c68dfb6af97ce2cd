/** Today's date as YYYY-MM-DD, in UTC so that CI, laptops and Lambda agree (stale flags, review dates). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
