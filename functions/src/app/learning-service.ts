import type { SimilarResolution } from '../contracts/api.ts';
import {
  DEFAULT_LEARNING_OPTIONS,
  feedbackBoosts,
  type LearningContext,
  type LearningOptions,
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

  async consult(plan: QueryPlan, context: LearningContext = {}): Promise<Consultation> {
    const neighbours = await this.index.similar(plan, this.options.neighbours);
    return { boosts: feedbackBoosts(neighbours, this.options, context), similar: similarResolutions(neighbours, this.options) };
  }
}
