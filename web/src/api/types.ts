/**
 * The API's shapes, taken from the zod contracts the server validates with. Type-only imports:
 * nothing from the server is bundled, and a contract change breaks `npm run typecheck` here.
 */
import type * as z from 'zod';
import type {
  FeedbackRequest,
  FeedbackResponse as FeedbackResponseSchema,
  Problem,
  ResolutionRequest,
  ResolutionWriteResponse,
  RunbookResponse,
  SearchHit,
  SearchQuery,
  SearchResponse,
  SuggestRequest,
  SuggestAnswer as SuggestResponse,
  LinkedSuggestion as Suggestion,
  SimilarResolution,
  Escalation,
} from '../../../functions/src/contracts/api.ts';

export type {
  FeedbackRequest,
  Problem,
  ResolutionRequest,
  ResolutionWriteResponse,
  RunbookResponse,
  SearchHit,
  SearchResponse,
  SuggestResponse,
  Suggestion,
  SimilarResolution,
  Escalation,
};

export type Tier = SearchHit['tier'];
export type KcsState = SearchHit['state'];
export type Step = RunbookResponse['steps'][number];
export type Command = Step['commands'][number];
export type SectionRef = RunbookResponse['sections'][number];
export type Facets = SearchResponse['facets'];
export type FacetName = keyof Facets;

/** A search as the client builds it: lists as arrays, paging optional (the server defaults it). */
export type SearchParams = Omit<SearchQuery, 'limit' | 'offset'> & Partial<Pick<SearchQuery, 'limit' | 'offset'>>;
/** The suggest body before server defaults (limit is optional). */
export type SuggestInput = z.input<typeof SuggestRequest>;
export type FeedbackResponse = z.infer<typeof FeedbackResponseSchema>;
export type FeedbackKind = FeedbackRequest['kind'];
