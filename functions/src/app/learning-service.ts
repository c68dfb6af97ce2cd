import type { SimilarResolution } from '../contracts/api.ts';
import {
  DEFAULT_LEARNING_OPTIONS,
  feedbackBoosts,
  type LearningContext,
  type LearningOptions,
  type Neighbour,
  similarResolutions,
} from '../core/resolutions/learning.ts';
import type { QueryPlan } from '../core/search/plan.ts';
import type { ResolutionIndex } from '../ports/resolution-index.ts';

export interface Consultation {
  boosts: Record<string, number>;
  similar: SimilarResolution[];
}

/** What past tickets and feedback say about a query: runbook boosts and similar resolutions. */
export class LearningService {
  constructor(
    private readonly index: ResolutionIndex,
    private readonly options: LearningOptions = DEFAULT_LEARNING_OPTIONS,
  ) {}

  /** The past tickets and feedback most like the query: read once, for `learnedPhrasing` and then `weigh`. */
  neighbours(plan: QueryPlan): Promise<Neighbour[]> {
    return this.index.similar(plan, this.options.neighbours);
  }

  /** What the neighbours say about the query once the runbooks have been searched: boosts and similar resolutions. */
  weigh(neighbours: readonly Neighbour[], context: LearningContext = {}): Consultation {
    return { boosts: feedbackBoosts(neighbours, this.options, context), similar: similarResolutions(neighbours, this.options) };
  }
}
