import { describe, expect, it } from 'vitest';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { scaleLibrary } from '../../functions/src/bench/synthetic-library.ts';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import type { CompiledRunbook } from '../../functions/src/core/runbook/model.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import { l1Runbook, source } from '../helpers/runbooks.ts';

function runbook(id: string, title: string, body: string): CompiledRunbook {
  const result = compileRunbook(source(`l1/${id}.md`, l1Runbook(id, { title, body: `# ${title}\n\n## Fix\n\n1. ${body}\n` })));
  if (!result.ok) throw new Error(`fixture ${id} did not compile`);
  return result.runbook;
}

/**
 * 1,200 runbooks that all say "Microsoft" (a word too common to score everywhere, see
 * core/search/common-terms.ts) and two that also say "Outlook".
 */
async function library(): Promise<EmbeddedRunbookIndex> {
  const index = new EmbeddedRunbookIndex();
  await index.upsert([
    ...scaleLibrary([runbook('teams-audio', 'Microsoft Teams meeting has no audio', 'Pick the headset in Microsoft Teams.')], 1_200),
    runbook('outlook-profile', 'Microsoft Outlook profile repair', 'Repair the profile from the Mail control panel.'),
    runbook('outlook-offline', 'Outlook offline', 'Turn off Work Offline.'),
  ]);
  return index;
}

const search = (index: EmbeddedRunbookIndex, text: string) => index.search(planQuery({ text, filters: {} }, NO_SYNONYMS, searchOptions()));

describe('embedded engine: words in most runbooks', () => {
  it('still ranks the runbooks a rarer word found, and says it matched', async () => {
    const index = await library();
    const { hits } = await search(index, 'microsoft outlook');
    // On "outlook" alone the shorter title would win; the common word puts the runbook that has it first.
    expect(hits.map((h) => h.runbookId).slice(0, 2)).toEqual(['outlook-profile', 'outlook-offline']);
    expect(Object.keys(hits[0]?.matches ?? {})).toContain('microsoft');
  });

  it('finds runbooks by common words when they are all the query has', async () => {
    const index = await library();
    const { hits, total } = await search(index, 'microsoft teams');
    expect(total).toBe(1_201);
    expect(hits[0]?.matches).toHaveProperty('team');
  });

  it('falls back to the common words when the rarer word matches nothing', async () => {
    const index = await library();
    const { total } = await search(index, 'microsoft mailbox');
    expect(total).toBe(1_201);
  });

  it('counts words afresh when the library changes', async () => {
    const index = await library();
    await search(index, 'microsoft outlook');
    // Now "outlook" is everywhere and "microsoft" in one runbook: the rarer word finds that one alone.
    await index.remove(scaleLibrary([runbook('teams-audio', 'x', 'x')], 1_200).map((r) => r.id));
    await index.upsert(scaleLibrary([runbook('outlook-search', 'Outlook search finds nothing', 'Rebuild the Outlook index.')], 1_200));
    const { hits, total } = await search(index, 'microsoft outlook');
    expect(total).toBe(1);
    expect(hits[0]?.runbookId).toBe('outlook-profile');
  });
});
