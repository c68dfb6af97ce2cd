import { analyzeToken } from './analyze.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The passage of `text` with the most matched terms, HTML-escaped, matches wrapped in `<mark>`.
 * Safe to insert as HTML: everything but the `<mark>` tags is escaped.
 *
 * @example makeSnippet('Clear the Outlook credential cache', new Set(['outlook'])) // 'Clear the <mark>Outlook</mark> credential cache'
 */
export function makeSnippet(text: string, terms: ReadonlySet<string>, maxWords = 32): string {
  const words = [...text.matchAll(WORD)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    hit: terms.has(analyzeToken(m[0].toLowerCase()) ?? ''),
  }));
  if (words.length === 0) return '';
  let bestStart = 0;
  let bestHits = -1;
  let hits = 0;
  for (let i = 0; i < words.length; i++) {
    if (words[i]?.hit) hits++;
    if (i >= maxWords && words[i - maxWords]?.hit) hits--;
    const start = Math.max(0, i - maxWords + 1);
    if (hits > bestHits) {
      bestHits = hits;
      bestStart = start;
    }
  }
  // Open the window a few words before the first match so the passage reads as a sentence.
  const firstHit = words.findIndex((w, i) => i >= bestStart && w.hit);
  const from = Math.max(0, Math.min(bestStart, firstHit === -1 ? bestStart : firstHit - 4));
  const to = Math.min(words.length, from + maxWords);
  const startChar = words[from]?.start ?? 0;
  const endChar = words[to - 1]?.end ?? text.length;
  let html = from > 0 ? '… ' : '';
  let cursor = startChar;
  for (let i = from; i < to; i++) {
    const w = words[i];
    if (!w?.hit) continue;
    html += `${escapeHtml(text.slice(cursor, w.start))}<mark>${escapeHtml(text.slice(w.start, w.end))}</mark>`;
    cursor = w.end;
  }
  html += escapeHtml(text.slice(cursor, endChar)).replace(/\s+/g, ' ');
  if (to < words.length) html += ' …';
  return html.replace(/\s+/g, ' ').trim();
}
