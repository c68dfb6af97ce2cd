import type { KcsState, Tier } from '../runbook/model.ts';
import { analyzeToken, tokenize } from './analyze.ts';
import type { SearchField, SearchOptions } from './options.ts';
import { expandSynonyms, type SynonymSet } from './synonyms.ts';

export interface PlannedTerm {
  /** The analyzed index term (lowercase, stemmed). */
  term: string;
  /** 1 for a word the user typed (or a `=>` rewrite of it), less for an equivalence synonym. */
  weight: number;
  /** May match with typos (the engine applies it only to terms it does not know). */
  fuzzy: boolean;
  /** May match as a prefix: the word still being typed. */
  prefix: boolean;
  /** The query words this term stands for, for "why it matched". */
  source: string;
}

export interface SearchFilters {
  tiers?: readonly Tier[];
  categories?: readonly string[];
  states?: readonly KcsState[] | readonly string[];
  /** Only content whose `audience` includes this tier. */
  audience?: Tier;
}

/** An engine-neutral query: every engine adapter translates this, so ranking knobs live in one place. */
export interface QueryPlan {
  terms: PlannedTerm[];
  filters: SearchFilters;
  boosts: Record<SearchField, number>;
  /** How many runbook hits the engine returns at most. */
  window: number;
  /** Per-runbook score factors (feedback from resolved tickets); 1 when absent. */
  runbookBoosts: Readonly<Record<string, number>>;
  /**
   * The query's meaning as a unit vector (see ports/embedder.ts), when the service has an
   * embedder: engines then also return their nearest runbooks by cosine (`EngineResult.dense`).
   */
  vector?: Float32Array;
  /**
   * Learned phrasing: for runbooks that resolved tickets like this one, the cosine of the query
   * and the closest such ticket's wording. Engines count it as one more of the runbook's symptom
   * phrases (`PHRASE_WEIGHT`), so a runbook is found in the words its past requesters used.
   */
  learned?: ReadonlyMap<string, number>;
  /** How many nearest runbooks by meaning an engine returns at most. */
  denseWindow: number;
}

export interface PlanInput {
  text: string;
  /** Supporting text (a ticket's description): its words count for less than `text`'s. */
  context?: string;
  filters?: SearchFilters;
  /** Search-as-you-type: the last word may be unfinished. */
  asYouType?: boolean;
  runbookBoosts?: Readonly<Record<string, number>>;
}

/**
 * Turns what a user or a ticket said into a query plan: words are split and lowercased, IT
 * synonyms expanded, stop words dropped and the rest stemmed; duplicates keep their highest weight.
 * Nothing in the text is interpreted as query syntax.
 *
 * @example planQuery({ text: 'pw reset' }, synonyms, options).terms.map((t) => t.term) // ['password', 'reset']
 */
/**
 * Host names, URLs, `host:port` pairs and bare numbers in a ticket name one instance of a problem
 * (`patroni-03-db-gprd.c.example.internal`, `node-07:9100`), not the problem: their words count
 * for less, so they cannot outvote the words that describe what is wrong.
 */
const IDENTIFIER = /^(?:[a-z][a-z0-9+.-]*:\/\/\S+|\S*[\p{L}\p{N}][.:/@][\p{L}\p{N}]\S*)$/iu;
const NUMBER = /^\p{N}+$/u;

function weighTokens(text: string, options: SearchOptions, base: number): { tokens: string[]; weights: number[] } {
  const tokens: string[] = [];
  const weights: number[] = [];
  for (const chunk of text.split(/\s+/)) {
    const identifier = IDENTIFIER.test(chunk.replace(/[.,;:!?)\]]+$/, '')) && /\p{N}|\..*\./u.test(chunk);
    for (const token of tokenize(chunk)) {
      tokens.push(token);
      weights.push(base * (identifier || NUMBER.test(token) ? options.identifierWeight : 1));
    }
  }
  return { tokens, weights };
}

export function planQuery(input: PlanInput, synonyms: SynonymSet, options: SearchOptions): QueryPlan {
  const main = weighTokens(input.text, options, 1);
  const context = weighTokens(input.context ?? '', options, options.contextWeight);
  const tokens = [...main.tokens, ...context.tokens];
  const weights = [...main.weights, ...context.weights];
  const expanded = expandSynonyms(tokens, synonyms);
  const byTerm = new Map<string, PlannedTerm>();
  const lastTyped =
    input.asYouType && options.prefixLastTerm && /[\p{L}\p{N}]$/u.test(input.text) ? expanded.findLast((w) => !w.synonym) : undefined;
  for (const word of expanded) {
    const term = analyzeToken(word.word);
    if (!term) continue;
    const weight = (word.synonym ? options.synonymWeight : 1) * (weights[word.at] ?? 1);
    const known = byTerm.get(term);
    if (known) {
      known.weight = Math.max(known.weight, weight);
      continue;
    }
    if (byTerm.size >= options.maxQueryTerms) break;
    byTerm.set(term, {
      term,
      weight,
      fuzzy: !word.synonym && word.word.length >= options.fuzzyMinLength && !/\p{N}/u.test(word.word),
      // Shorter stubs expand to hundreds of words: slow, and rarely what the agent is typing.
      prefix: word === lastTyped && word.word.length >= options.prefixMinLength,
      source: word.source,
    });
  }
  return {
    terms: [...byTerm.values()],
    filters: input.filters ?? {},
    boosts: options.boosts,
    window: options.window,
    runbookBoosts: input.runbookBoosts ?? {},
    denseWindow: options.fusion.denseWindow,
  };
}

/**
 * Share of a query's words that a match covers (0–1), each word weighted once however many
 * synonyms it expanded to: `quality(term)` says how well a term matched (0 = not at all).
 */
export function coverage(terms: readonly PlannedTerm[], quality: (term: string) => number): number {
  const { matched, total } = coverageParts(terms, quality);
  return total === 0 ? 0 : matched / total;
}

/** The weight of the query's words a match covers, and of all its words; see `coverage`. */
export function coverageParts(terms: readonly PlannedTerm[], quality: (term: string) => number): { matched: number; total: number } {
  const bySource = new Map<string, { weight: number; matched: number }>();
  for (const t of terms) {
    const entry = bySource.get(t.source) ?? { weight: 0, matched: 0 };
    entry.weight = Math.max(entry.weight, t.weight);
    entry.matched = Math.max(entry.matched, t.weight * quality(t.term));
    bySource.set(t.source, entry);
  }
  let total = 0;
  let matched = 0;
  for (const e of bySource.values()) {
    total += e.weight;
    matched += e.matched;
  }
  return { matched, total };
}
