import { analyzeToken, camelParts, words } from './analyze.ts';

/** The analysed words of a title or file name, camel-case split (`KubeletDown` → kubelet, down). */
export function titleTerms(...texts: string[]): Set<string> {
  const terms = new Set<string>();
  for (const text of texts) {
    for (const part of text.split(/[^\p{L}\p{N}]+/u).flatMap(camelParts)) {
      for (const word of words(part)) {
        const term = analyzeToken(word);
        if (term) terms.add(term);
      }
    }
  }
  return terms;
}

/** Two stems of one word often differ at the end (fail / failur): a shared stem of 4+ letters counts. */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

/**
 * Share of a runbook's title words that the query contains. Alert runbooks are named after the
 * alert (`PrometheusTSDBReloadsFailing`) and the alert's text repeats those words, so a title the
 * query covers almost completely is strong evidence, whatever the body's length.
 *
 * @example titleCoverage(new Set(['kubelet', 'down']), ['kubelet', 'disappear', 'down']) // 1
 */
export function titleCoverage(title: ReadonlySet<string>, queryTerms: readonly string[]): number {
  if (title.size === 0) return 0;
  let covered = 0;
  for (const t of title) if (queryTerms.some((q) => sameWord(t, q))) covered++;
  return covered / title.size;
}
