import { stemmer } from 'stemmer';
import { STOP_WORDS } from './stop-words.ts';

const WORD = /[\p{L}\p{N}]+/gu;
const CAMEL_BOUNDARY = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;
const MAX_TOKEN_LENGTH = 40;

/**
 * Splits text into lowercase word tokens. A camel-case word yields its parts and the whole
 * (`KubePodCrashLooping` → `kube pod crash looping kubepodcrashlooping`), so an alert name in a
 * file name or heading matches both the name and the words of an alert's description.
 *
 * @example tokenize("Outlook can't connect (0x800CCC0E)") // ['outlook', 'can', 't', 'connect', '0x800ccc0e']
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const [word] of text.matchAll(WORD)) {
    if (word.length > MAX_TOKEN_LENGTH) continue;
    const parts = camelParts(word);
    if (parts.length > 1) for (const part of parts) tokens.push(part.toLowerCase());
    tokens.push(word.toLowerCase());
  }
  return tokens;
}

/** `KubePodCrashLooping` → `Kube Pod Crash Looping`; a word with no case change → itself. */
export function camelParts(word: string): string[] {
  return word.split(CAMEL_BOUNDARY);
}

/** Like `tokenize` but without the camel-case parts: the words as typed, for synonym matching. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const [word] of text.matchAll(WORD)) if (word.length <= MAX_TOKEN_LENGTH) out.push(word.toLowerCase());
  return out;
}

/**
 * Stems already computed. Vocabulary is small next to text (a library of 10,000 runbooks has
 * about 100,000 distinct words), and stemming is the largest cost of analysis, of snippets and of
 * picking a hit's best section; the memo is dropped whole if it ever grows past its bound.
 */
const STEMS = new Map<string, string>();
const MAX_STEMS = 200_000;

/** One lowercase token → its index term (English Porter stem), or null for a stop word. */
export function analyzeToken(token: string): string | null {
  if (STOP_WORDS.has(token)) return null;
  if (/^\p{N}/u.test(token)) return token;
  let stem = STEMS.get(token);
  if (stem === undefined) {
    if (STEMS.size >= MAX_STEMS) STEMS.clear();
    stem = stemmer(token);
    STEMS.set(token, stem);
  }
  return stem;
}

/** Text → index terms, in order, stop words removed. */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    const term = analyzeToken(token);
    if (term) terms.push(term);
  }
  return terms;
}
