import { words } from './analyze.ts';

/**
 * A synonym rule in Solr format. `a, b, c` makes the phrases equivalent (each expands to all);
 * `a, b => c` rewrites a and b to c only. Phrases are lowercase word sequences.
 */
export interface SynonymRule {
  from: string[][];
  to: string[][];
  /** `=>` rules replace what matched; equivalence rules keep it and add the others. */
  replace: boolean;
  line: number;
}

export interface SynonymSet {
  rules: SynonymRule[];
  /** First word of a `from` phrase → the rules and phrases that start with it, longest first. */
  byFirstWord: Map<string, { phrase: string[]; rule: SynonymRule }[]>;
}

export interface SynonymError {
  line: number;
  reason: string;
}

function phrases(list: string): string[][] {
  return list
    .split(',')
    .map((p) => words(p))
    .filter((p) => p.length > 0);
}

/**
 * Parses `synonyms.txt` (Solr format, which OpenSearch's `synonym_graph` filter reads as-is).
 * Lines that cannot be read are returned as errors and skipped.
 */
export function parseSynonyms(text: string): { set: SynonymSet; errors: SynonymError[] } {
  const rules: SynonymRule[] = [];
  const errors: SynonymError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const parts = line.split('=>');
    if (parts.length > 2) {
      errors.push({ line: i + 1, reason: 'Unexpected second `=>`, expected `a, b => c`' });
      return;
    }
    const from = phrases(parts[0] ?? '');
    const to = parts.length === 2 ? phrases(parts[1] ?? '') : from;
    if (from.length === 0 || to.length === 0 || (parts.length === 1 && from.length < 2)) {
      errors.push({ line: i + 1, reason: 'Unexpected rule with fewer than two phrases, expected `a, b` or `a => b`' });
      return;
    }
    rules.push({ from, to, replace: parts.length === 2, line: i + 1 });
  });
  return { set: indexRules(rules), errors };
}

function indexRules(rules: SynonymRule[]): SynonymSet {
  const byFirstWord = new Map<string, { phrase: string[]; rule: SynonymRule }[]>();
  for (const rule of rules) {
    for (const phrase of rule.from) {
      const first = phrase[0] as string;
      const list = byFirstWord.get(first) ?? [];
      list.push({ phrase, rule });
      list.sort((a, b) => b.phrase.length - a.phrase.length);
      byFirstWord.set(first, list);
    }
  }
  return { rules, byFirstWord };
}

export const NO_SYNONYMS: SynonymSet = { rules: [], byFirstWord: new Map() };

export interface ExpandedWord {
  word: string;
  /** True when the word came from a synonym rule rather than the query. */
  synonym: boolean;
  /** The query words it stands for (itself, or the phrase a synonym replaced). */
  source: string;
  /** Index of the first query token it came from. */
  at: number;
}

function matchesAt(tokens: readonly string[], at: number, phrase: readonly string[]): boolean {
  return phrase.every((w, k) => tokens[at + k] === w);
}

/**
 * Expands query words with synonyms, longest phrase first:
 * `["pw", "reset"]` with `pw, passwd => password` → password (for pw), reset.
 */
export function expandSynonyms(tokens: readonly string[], set: SynonymSet): ExpandedWord[] {
  const out: ExpandedWord[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] as string;
    const match = set.byFirstWord.get(token)?.find((c) => matchesAt(tokens, i, c.phrase));
    if (!match) {
      out.push({ word: token, synonym: false, source: token, at: i });
      i++;
      continue;
    }
    const source = match.phrase.join(' ');
    if (!match.rule.replace) for (const w of match.phrase) out.push({ word: w, synonym: false, source, at: i });
    for (const phrase of match.rule.to) {
      if (!match.rule.replace && phrase === match.phrase) continue;
      // A `=>` rewrite is a normalisation (pw means password): it keeps full weight.
      for (const w of phrase) out.push({ word: w, synonym: !match.rule.replace, source, at: i });
    }
    i += match.phrase.length;
  }
  return out;
}
