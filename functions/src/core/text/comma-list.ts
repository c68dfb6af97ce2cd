/**
 * A comma-separated list as people and configuration write it: `l1, l2,,l3` → ['l1', 'l2', 'l3'].
 * Spaces around items and empty items are dropped; nothing (undefined) is an empty list.
 */
export function commaList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
