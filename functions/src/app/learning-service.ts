import * as z from 'zod';
import { type SimilarResolution, Source } from '../contracts/api.ts';
import { parseJsonSetting } from '../contracts/json-setting.ts';
import {
  DEFAULT_LEARNING_OPTIONS,
  feedbackBoosts,
  type LearningContext,
  type LearningOptions,
  learnedPhrasing,
  type Neighbour,
  similarResolutions,
} from '../core/resolutions/learning.ts';
import type { QueryPlan } from '../core/search/plan.ts';
import type { ResolutionIndex } from '../ports/resolution-index.ts';

export interface Consultation {
  boosts: Record<string, number>;
  similar: SimilarResolution[];
}

/** Source → trust, as `KB_LEARNING_SOURCE_WEIGHTS` holds it: `{"zendesk": 0.5, "feedback": 0.8}` (see `sourceWeights`). */
const SourceWeights = z.record(Source, z.number().min(0).max(1));

/** The learning options with `KB_LEARNING_SOURCE_WEIGHTS`; a malformed value stops the start, naming the bad entry. */
export function learningOptions(sourceWeights: string | undefined): LearningOptions {
  if (!sourceWeights?.trim()) return DEFAULT_LEARNING_OPTIONS;
  return { ...DEFAULT_LEARNING_OPTIONS, sourceWeights: parseJsonSetting('KB_LEARNING_SOURCE_WEIGHTS', SourceWeights, sourceWeights) };
}

/** What past tickets and feedback say about a query: runbook boosts and similar resolutions. */
export class LearningService {
  constructor(
    private readonly index: ResolutionIndex,
    private readonly options: LearningOptions = DEFAULT_LEARNING_OPTIONS,
  ) {}

  /**
   * The past tickets and feedback most like the query: read once, for `phrasing` and then `weigh`.
   * They refine an answer the runbooks give: when they cannot be read (the resolution index
   * failing on its own), the answer comes without them, and the failure is logged.
   */
  neighbours(plan: QueryPlan): Promise<Neighbour[]> {
    return this.index.similar(plan, this.options.neighbours).catch((error: unknown) => {
      console.warn({ message: 'past tickets not consulted: the resolution index failed', error: String(error) });
      return [];
    });
  }

  /** The runbooks the neighbours' wording expands, with the cosine each counts as (see `learnedPhrasing`). */
  phrasing(neighbours: readonly Neighbour[]): Map<string, number> {
    return learnedPhrasing(neighbours, this.options);
  }

  /** What the neighbours say about the query once the runbooks have been searched: boosts and similar resolutions. */
  weigh(neighbours: readonly Neighbour[], context: LearningContext = {}): Consultation {
    return { boosts: feedbackBoosts(neighbours, this.options, context), similar: similarResolutions(neighbours, this.options) };
  }
}
