import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { scaleLibrary } from '../../functions/src/bench/synthetic-library.ts';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import { l1Runbook, source } from '../helpers/runbooks.ts';

function library(id: string, title: string, size: number) {
  const result = compileRunbook(source(`l1/${id}.md`, l1Runbook(id, { title, body: `# ${title}\n\n## Fix\n\n1. Restart ${id}.\n` })));
  if (!result.ok) throw new Error(`fixture ${id} did not compile`);
  return scaleLibrary([result.runbook], size);
}

describe('embedded engine: cleaning up after removals', () => {
  // MiniSearch cleans removed runbooks out of its index in the background; a search that meets a
  // removed runbook's entry deletes it too, and did so mid-clean-up, which then threw
  // (an unhandled rejection: the end of a local server). The clean-up now runs in one go.
  it('keeps answering, and stays whole, while a large removal is cleaned up', async () => {
    const index = new EmbeddedRunbookIndex();
    const old = library('printer-jam', 'Printer jams on every page', 600);
    await index.upsert(old);
    await index.upsert(library('vpn-drops', 'VPN drops every hour', 100));
    await index.remove(old.map((r) => r.id));
    const plan = planQuery({ text: 'printer jams vpn drops', filters: {} }, NO_SYNONYMS, searchOptions());
    for (let i = 0; i < 20; i++) {
      const { total } = await index.search(plan);
      expect(total).toBe(100);
      await index.upsert(library(`new-${i}`, `Teams meeting ${i} has no sound`, 5));
      await sleep(5);
    }
    expect((await index.stats()).runbooks).toBe(200);
  });
});
