import { describe, expect, it } from 'vitest';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { SearchService } from '../../functions/src/app/search-service.ts';
import type { LexicalResult } from '../../functions/src/core/search/engine-result.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';
import { recordUnhandledRejections } from '../helpers/unhandled.ts';

/** An engine whose words request fails, as a cluster that went away does (the fault injected). */
class UnreachableIndex extends EmbeddedRunbookIndex {
  override search(): Promise<LexicalResult> {
    return Promise.reject(new Error('cluster unreachable'));
  }
}

/** A model that takes a while, so the words request fails while the query is still being embedded. */
const slowModel: Embedder = {
  modelId: 'slow',
  dimension: 3,
  embed: async (texts) => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    return texts.map(() => new Float32Array([1, 0, 0]));
  },
};

describe('the words request failing while the model embeds the query', () => {
  it('fails that answer with the engine error, and nothing is left unhandled to end the process', async () => {
    const unhandled = recordUnhandledRejections();
    const service = new SearchService({
      index: new UnreachableIndex(),
      synonyms: NO_SYNONYMS,
      options: searchOptions(),
      today: () => '2026-12-06',
      embedder: slowModel,
    });

    await expect(service.suggest({ subject: 'vpn keeps dropping', limit: 5 })).rejects.toThrow('cluster unreachable');
    await expect(service.search({ q: 'vpn', limit: 10, offset: 0 })).rejects.toThrow('cluster unreachable');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
  });
});
