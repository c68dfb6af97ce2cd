import { beforeEach, describe, expect, it } from 'vitest';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import type { CompiledRunbook } from '../../functions/src/core/runbook/model.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery, type SearchFilters } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import type { RunbookIndex } from '../../functions/src/ports/runbook-index.ts';
import { source } from '../helpers/runbooks.ts';

function runbook(path: string, front: string, body: string): CompiledRunbook {
  const result = compileRunbook(source(path, `---\n${front}\n---\n\n${body}\n`));
  if (!result.ok) throw new Error(`fixture ${path} did not compile`);
  return result.runbook;
}

/** A small library: each runbook differs in exactly the ways the tests below look at. */
export function contractLibrary(): CompiledRunbook[] {
  return [
    runbook(
      'l1/outlook-password.md',
      'id: outlook-password\ntitle: Outlook keeps asking for the password\ntier: l1\ncategory: email\nsymptoms: [password prompt loops]\nowner: desk\nstate: validated',
      '# Outlook keeps asking for the password\n\n## Symptoms\n\nThe credentials window reappears.\n\n## Fix\n\n1. Clear cached credentials.\n\n   ```cmd\n   cmdkey /list\n   ```\n',
    ),
    runbook(
      'l1/printer-offline.md',
      'id: printer-offline\ntitle: Printer shows offline\ntier: l1\ncategory: printing\nsymptoms: [cannot print]\nowner: desk\nstate: validated',
      '# Printer shows offline\n\n## Symptoms\n\nJobs stay in the queue.\n\n## Fix\n\n1. Restart the print spooler service.\n',
    ),
    runbook(
      'l3/ad-replication.md',
      'id: ad-replication\ntitle: Active Directory replication fails\ntier: l3\ncategory: directory\nsymptoms: [password changes do not replicate]\nowner: identity\nstate: validated',
      '# Active Directory replication fails\n\n## Symptoms\n\nDomain controllers disagree.\n\n## Fix\n\n1. Run repadmin.\n\n   ```cmd\n   repadmin /replsummary\n   ```\n',
    ),
    runbook(
      'l2/app-crashes.md',
      'id: app-crashes\ntitle: Application crashes on start\ntier: l2\ncategory: software\nsymptoms: [program closes itself]\nowner: desk\nstate: draft',
      '# Application crashes on start\n\n## Symptoms\n\nThe program crashes at launch.\n\n## Fix\n\n1. Read the Application event log.\n',
    ),
    runbook(
      'l1/old-fax.md',
      'id: old-fax\ntitle: Fax machine password\ntier: l1\ncategory: printing\nsymptoms: [fax asks for a password]\nowner: desk\nstate: archived',
      '# Fax machine password\n\n## Symptoms\n\nThe fax asks for a password.\n\n## Fix\n\n1. Retire the fax.\n',
    ),
  ];
}

const options = searchOptions();
const plan = (text: string, filters: SearchFilters = {}, runbookBoosts: Record<string, number> = {}) =>
  planQuery({ text, filters, runbookBoosts }, NO_SYNONYMS, options);
const ids = async (index: RunbookIndex, text: string, filters: SearchFilters = {}) => {
  const result = await index.search(plan(text, filters));
  return result.hits.map((h) => h.runbookId);
};

/**
 * The behaviour every RunbookIndex adapter must have. `create` returns an empty index; `settle`
 * waits until writes are searchable (near-real-time engines refresh).
 */
export function runbookIndexContract(
  name: string,
  create: () => Promise<RunbookIndex>,
  settle: (index: RunbookIndex) => Promise<void> = async () => {},
) {
  describe(`RunbookIndex contract: ${name}`, () => {
    let index: RunbookIndex;
    beforeEach(async () => {
      index = await create();
      const report = await index.upsert(contractLibrary());
      expect(report).toMatchObject({ indexed: 5, unchanged: 0, failed: [] });
      await settle(index);
    });

    it('finds a runbook by the words of its title, symptoms and steps, stemmed', async () => {
      expect((await ids(index, 'outlook password'))[0]).toBe('outlook-password');
      expect((await ids(index, 'printing'))[0]).toBe('printer-offline'); // printing ~ print (stem)
      expect(await ids(index, 'repadmin')).toEqual(['ad-replication']);
    });

    it('returns hits with the fields each term matched in', async () => {
      const result = await index.search(plan('spooler outlook'));
      expect(result.hits.map((h) => h.runbookId)).toEqual(expect.arrayContaining(['printer-offline', 'outlook-password']));
      expect(result.hits.find((h) => h.runbookId === 'printer-offline')?.matches.spooler).toEqual(expect.arrayContaining(['steps']));
      expect(result.hits.find((h) => h.runbookId === 'outlook-password')?.matches.outlook).toEqual(['title']);
    });

    it('tolerates a typo in a word it does not know', async () => {
      expect((await ids(index, 'outlok'))[0]).toBe('outlook-password');
    });

    it('filters by tier, category, state and audience, and counts facets after filters', async () => {
      expect(await ids(index, 'password', { tiers: ['l3'] })).toEqual(['ad-replication']);
      expect(await ids(index, 'password', { categories: ['email'] })).toEqual(['outlook-password']);
      expect(await ids(index, 'password', { states: ['archived'] })).toEqual(['old-fax']);
      const l1 = await ids(index, 'password replicate', { audience: 'l1' });
      expect(l1).not.toContain('ad-replication');
      const result = await index.search(plan('password', { states: ['validated'] }));
      expect(result.total).toBe(2);
      expect(result.facets.tier).toEqual({ l1: 1, l3: 1 });
      expect(result.facets.state).toEqual({ validated: 2 });
    });

    it('treats query syntax as plain words', async () => {
      for (const text of ['title:outlook AND (password OR', '"unterminated', '*?~^!{}[]\\/', 'password^10 -outlook', '<script>']) {
        const result = await index.search(plan(text));
        expect(Array.isArray(result.hits)).toBe(true);
      }
      expect((await ids(index, 'title:outlook AND (password OR'))[0]).toBe('outlook-password');
    });

    it('applies per-runbook boosts from feedback', async () => {
      const before = await index.search(plan('password', { states: ['validated'] }));
      expect(before.hits[0]?.runbookId).toBe('outlook-password');
      const after = await index.search(plan('password', { states: ['validated'] }, { 'ad-replication': 50 }));
      expect(after.hits[0]?.runbookId).toBe('ad-replication');
    });

    it('skips unchanged runbooks, replaces changed ones and removes deleted ones', async () => {
      const [first] = contractLibrary();
      expect(await index.upsert([first as CompiledRunbook])).toMatchObject({ indexed: 0, unchanged: 1 });
      const edited = runbook(
        'l1/outlook-password.md',
        'id: outlook-password\ntitle: Outlook shows a certificate warning\ntier: l1\ncategory: email\nsymptoms: [certificate warning]\nowner: desk\nstate: validated',
        '# Outlook shows a certificate warning\n\n## Fix\n\n1. Trust the certificate.\n',
      );
      expect(await index.upsert([edited])).toMatchObject({ indexed: 1, unchanged: 0 });
      await index.remove(['printer-offline']);
      await settle(index);
      expect(await ids(index, 'credentials window')).not.toContain('outlook-password');
      expect((await ids(index, 'certificate'))[0]).toBe('outlook-password');
      expect(await ids(index, 'spooler')).toEqual([]);
      expect((await index.hashes()).get('outlook-password')).toBe(edited.hash);
    });

    it('gets compiled runbooks by id in the order asked, leaving out unknown ids', async () => {
      const got = await index.get(['app-crashes', 'nope', 'outlook-password']);
      expect(got.map((r) => r.id)).toEqual(['app-crashes', 'outlook-password']);
      expect(got[1]?.steps[0]?.commands[0]?.code).toBe('cmdkey /list');
    });

    it('reports its size', async () => {
      const stats = await index.stats();
      expect(stats.runbooks).toBe(5);
      expect(stats.byTier).toEqual({ l1: 3, l2: 1, l3: 1 });
      expect(stats.sections).toBe(10);
    });

    it('returns nothing for a plan with no terms', async () => {
      expect((await index.search(plan('the of and'))).hits).toEqual([]);
    });
  });
}
