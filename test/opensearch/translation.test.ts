import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunk } from '../../functions/src/adapters/opensearch/bulk.ts';
import type { OpenSearchRunbookIndex } from '../../functions/src/adapters/opensearch/opensearch-runbook-index.ts';
import { searchRequest } from '../../functions/src/adapters/opensearch/query-dsl.ts';
import { backoffMs, READ_RETRY, WRITE_RETRY } from '../../functions/src/adapters/opensearch/retry.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { type PlannedTerm, planQuery, type QueryPlan } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import { contractLibrary } from '../contract/runbook-index.contract.ts';
import { dropTestIndices, testIndex } from './helpers.ts';

const options = searchOptions();
const plan = (text: string, extra: Partial<QueryPlan> = {}): QueryPlan => ({
  ...planQuery({ text, asYouType: true }, NO_SYNONYMS, options),
  ...extra,
});
/** The kinds of scored clauses on the title field, in order. */
const clauseKinds = (body: ReturnType<typeof searchRequest>) => {
  const scored = (body.query as { function_score: { query: { bool: { should: unknown[] } } } }).function_score.query.bool.should;
  return JSON.stringify(scored).match(/"(term|fuzzy|regexp)":\{"title"/g) ?? [];
};

describe('plan → query DSL', () => {
  it('adds typo tolerance only to fuzzy terms the index does not know, and a prefix only to the last word', () => {
    // "outlok" and "printr" are fuzzy (5+ letters); the index knows "printr" here; "conn" is being typed.
    const body = searchRequest(plan('outlok printr conn'), new Set(['printr']));
    expect(clauseKinds(body)).toEqual(['"term":{"title"', '"fuzzy":{"title"', '"term":{"title"', '"term":{"title"', '"regexp":{"title"']);
    expect(JSON.stringify(body)).toContain('"value":"conn.+"');
  });

  it('turns filters into bool filters and a zero feedback factor into an exclusion', () => {
    const body = searchRequest(plan('vpn', { filters: { tiers: ['l1'], audience: 'l2' }, runbookBoosts: { a: 0, b: 2 } }));
    const text = JSON.stringify(body);
    expect(text).toContain('"filter":[{"terms":{"tier":["l1"]}},{"term":{"audience":"l2"}}]');
    expect(text).toContain('"must_not":[{"terms":{"id":["a"]}}]');
    expect(text).toContain('{"filter":{"term":{"id":"b"}},"weight":2}');
  });
});

describe('bulk chunks and backoff', () => {
  it('bounds chunks by bytes and by count, keeping order, and sends an oversized document alone', () => {
    const ops = Array.from({ length: 25 }, (_, i) => ({
      action: 'index' as const,
      id: `r${i}`,
      document: { text: 'x'.repeat(i === 3 ? 5_000 : 50) },
    }));
    const chunks = chunk(ops, { maxBytes: 1_000, maxOperations: 10 });
    expect(chunks.flat().map((l) => l.op.id)).toEqual(ops.map((o) => o.id));
    expect(chunks.some((c) => c.length === 1 && c[0]?.op.id === 'r3')).toBe(true);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(10);
      if (c.length > 1) expect(c.reduce((s, l) => s + l.bytes, 0)).toBeLessThanOrEqual(1_000);
    }
  });

  it('backs off exponentially up to a cap, with full jitter', () => {
    expect(backoffMs(WRITE_RETRY, 0, () => 1)).toBe(WRITE_RETRY.baseDelayMs);
    expect(backoffMs(WRITE_RETRY, 3, () => 1)).toBe(WRITE_RETRY.baseDelayMs * 8);
    expect(backoffMs(WRITE_RETRY, 20, () => 1)).toBe(WRITE_RETRY.maxDelayMs);
    expect(backoffMs(WRITE_RETRY, 3, () => 0)).toBe(0);
  });
});

describe('queries the real server accepts', () => {
  let index: OpenSearchRunbookIndex;
  beforeAll(async () => {
    // What the server accepts, not how fast: a 48-term fuzzy query on a 2-core CI machine running
    // other suites beside it can take longer than the API's read budget (1.2 s an attempt).
    index = testIndex('translation', { readRetry: { ...READ_RETRY, attemptTimeoutMs: 15_000, budgetMs: 30_000 } });
    await index.upsert(contractLibrary());
    await index.refresh();
  });
  afterAll(() => dropTestIndices('translation-'));

  it('takes the largest plan the planner makes: 48 typo-tolerant terms and a prefix, within the clause limit', async () => {
    const words = Array.from({ length: options.maxQueryTerms }, (_, i) => `zzword${String.fromCharCode(97 + (i % 26))}${i}`);
    const terms: PlannedTerm[] = words.map((w, i) => ({ term: w, weight: 1, fuzzy: true, prefix: i === words.length - 1, source: w }));
    terms[0] = { term: 'printr', weight: 1, fuzzy: true, prefix: false, source: 'printr' };
    const result = await index.search({ ...plan('x'), terms });
    expect(result.hits.map((h) => h.runbookId)).toContain('printer-offline');
  });

  it('drops a runbook whose feedback factor is 0', async () => {
    const ids = (await index.search(plan('password', { runbookBoosts: { 'outlook-password': 0 } }))).hits.map((h) => h.runbookId);
    expect(ids).not.toContain('outlook-password');
    expect(ids.length).toBeGreaterThan(0);
  });
});
