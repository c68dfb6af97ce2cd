import { DEFAULT_FUSION, type FusionOptions } from './fuse.ts';

/** The fields every search engine indexes for a runbook (see documents.ts). */
export const SEARCH_FIELDS = ['title', 'symptoms', 'heading', 'steps', 'body'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/**
 * Ranking knobs, shared by every engine. Tuned with `kb eval` on ../shared/eval/alerts and the
 * starter library's labelled set; change them here, never inside a code path.
 */
export interface SearchOptions {
  /**
   * Field weights. A runbook's title (with its file name) and symptoms say most about it; headings
   * and each section's opening sentence say what a section is about, so they count more than the
   * same words deeper in the body.
   */
  boosts: Record<SearchField, number>;
  /** Weight of a word added by an equivalence synonym, relative to a word the user typed. */
  synonymWeight: number;
  /** Weight of words that only a ticket's description has, relative to its subject's. */
  contextWeight: number;
  /** Weight of words from host names, URLs and bare numbers, which name an instance rather than a problem. */
  identifierWeight: number;
  /** Terms at least this long may match with typos… */
  fuzzyMinLength: number;
  /** …up to this share of their length in edits (0.2: one edit in 5–9 letters). */
  fuzzy: number;
  /** The last word of a search-as-you-type query also matches as a prefix… */
  prefixLastTerm: boolean;
  /** …once it has this many letters. */
  prefixMinLength: number;
  /** Query terms past this many are ignored (a pasted 10 KB log must not cost a second). */
  maxQueryTerms: number;
  /** Runbook score × (1 + this × share of its title words found in the query). */
  titleCoverageBoost: number;
  /** Runbooks the engine returns for reranking and paging. */
  window: number;
  /** Suggest: score factor for a runbook of another (visible) tier than the requester's. */
  otherTierFactor: number;
  /**
   * Suggest: below this confidence a suggestion is not a confident match (escalation is advised).
   * The web app calls the same threshold "high", so no answer is called confident below "high".
   * Measured with the bench's reliability table (first answers of the three labelled sets, 315
   * tickets, content and ranking of 2026-12-04 19:15): at 0.6, 238 of 266 shown as high were right
   * (0.895); at 0.7, 221 of 242 (0.913), with 77 % of answers still high instead of 84 %. Every MRR
   * is unchanged: the threshold labels answers, it does not rank them. Past 0.7 precision does not
   * move (0.913 at 0.75) while clear tickets with typos ("outlok keeps asking for my pasword",
   * 0.72) would drop to medium. Of the 21 wrong "high" answers left, 13 are alerts and 8 vague
   * tickets; 8 are near-ties (the runner-up within 0.05).
   */
  confidentAt: number;
  /**
   * From this confidence a match is "partial" (the web app's "medium"), below it "weak": search
   * hides weak matches behind stronger ones, and escalation names a runbook of the next tier (and
   * takes its team as the queue) only from here.
   */
  partialAt: number;
  /** States searched when the request names none. */
  defaultStates: readonly string[];
  /** How lexical and semantic candidates are merged (see fuse.ts). */
  fusion: FusionOptions;
}

export const DEFAULT_SEARCH_OPTIONS: SearchOptions = {
  boosts: { title: 6, symptoms: 3, heading: 2, steps: 1.2, body: 1 },
  synonymWeight: 0.7,
  identifierWeight: 0.1,
  contextWeight: 0.3,
  fuzzyMinLength: 5,
  fuzzy: 0.2,
  prefixLastTerm: true,
  prefixMinLength: 4,
  maxQueryTerms: 48,
  titleCoverageBoost: 3,
  window: 200,
  otherTierFactor: 0.85,
  confidentAt: 0.7,
  partialAt: 0.35,
  defaultStates: ['validated', 'not-validated', 'draft'],
  fusion: DEFAULT_FUSION,
};

export function searchOptions(overrides: Partial<SearchOptions> = {}): SearchOptions {
  return {
    ...DEFAULT_SEARCH_OPTIONS,
    ...overrides,
    boosts: { ...DEFAULT_SEARCH_OPTIONS.boosts, ...overrides.boosts },
    fusion: { ...DEFAULT_SEARCH_OPTIONS.fusion, ...overrides.fusion },
  };
}
