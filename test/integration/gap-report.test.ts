import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../functions/src/contracts/api.ts';
import { postJson } from '../helpers/platform.ts';
import { putJson, resolutionBody, writeBackApp } from '../helpers/write-back.ts';

/**
 * The gap report's "no good match" section: every sign the desk asked and did not get a good
 * answer (weak suggestions, "did not help", tickets closed without a runbook), grouped by what
 * was asked, with counts, reasons, examples and tickets.
 */

let ctx: Awaited<ReturnType<typeof writeBackApp>>;
beforeAll(async () => {
  ctx = await writeBackApp();
});
afterAll(() => ctx.close());

const suggest = (subject: string, agent: string) =>
  ctx.app.request('/suggest', {
    ...postJson({ subject, requesterTier: 'l1' }),
    headers: { 'content-type': 'application/json', 'x-test-agent': agent },
  });

describe('gaps that mean something', () => {
  it('groups weak suggestions, "did not help" and tickets without a runbook by what was asked', async () => {
    // Prepare: two agents get no good answer for the same odd ticket, worded two ways…
    expect((await suggest('Franking machine in the post room jams on envelopes', 'amy')).status).toBe(200);
    expect((await suggest('franking machine in post room jamming on envelopes', 'bob')).status).toBe(200);
    // …one says the runbook offered did not help, and the ticket is closed without a runbook.
    const feedback = await ctx.app.request('/runbooks/printer-offline-queue-stuck/feedback', {
      ...postJson({ kind: 'not-helpful', query: 'franking machine jams on envelopes' }),
      headers: { 'content-type': 'application/json', 'x-test-agent': 'amy' },
    });
    expect(feedback.status).toBe(201);
    const closed = await ctx.app.request(
      '/tickets/jira/HD-9001/resolution',
      putJson(
        resolutionBody({ runbookId: undefined, outcome: 'no-runbook', summary: 'Franking machine in the post room jams on envelopes' }),
      ),
    );
    expect(closed.status).toBe(201);
    // A confident answer is not a gap.
    expect((await suggest('VPN wont connect from home', 'amy')).status).toBe(200);

    // Act
    const report = await ctx.service.gapReport();

    // Assess
    const franking = report.noGoodMatch.find((g) => g.label.toLowerCase().includes('franking'));
    expect(franking).toMatchObject({
      count: 4,
      reasons: { 'no-good-match': 2, 'not-helpful': 1, 'no-runbook': 1 },
      tickets: ['jira/HD-9001'],
    });
    expect(franking?.examples.length).toBeGreaterThanOrEqual(2);
    expect(report.noGoodMatch[0]).toBe(franking);
    expect(report.noGoodMatch.some((g) => g.examples.some((e) => /vpn/i.test(e)))).toBe(false);
  });

  it('counts a weak suggestion once per caller, however often it is asked', async () => {
    for (let i = 0; i < 3; i++) await suggest('Plotter in the drawing office smears ink', 'carol');
    const report = await ctx.service.gapReport();
    expect(report.noGoodMatch.find((g) => g.label.includes('plotter'))?.count).toBe(1);
  });

  it('records a search whose every hit is weak like one with no result, once per caller, leaving out words still being typed', async () => {
    // Prepare: an agent types a search that only weak matches answer, pausing on the way…
    const search = async (q: string, agent: string) => {
      const response = await ctx.app.request(`/search?q=${encodeURIComponent(q)}`, { headers: { 'x-test-agent': agent } });
      expect(response.status).toBe(200);
      return (await response.json()) as SearchResponse;
    };
    const full = await search('kitchen coffee machine broken again', 'dan');
    expect(full.hits.length).toBeGreaterThan(0);
    expect(full.hits.every((h) => h.strength === 'weak')).toBe(true);
    expect((await search('kitchen coffee machine bro', 'dan')).hits.every((h) => h.strength === 'weak')).toBe(true);
    await search('kitchen coffee machine broken again', 'dan');
    await search('kitchen coffee machine broken again', 'erin');
    // …one word typed so far matches every password runbook weakly; a good search is no gap.
    expect((await search('passw', 'dan')).hits.every((h) => h.strength === 'weak')).toBe(true);
    expect((await search('vpn drops at home', 'dan')).hits[0]?.strength).toBe('strong');

    // Act
    const report = await ctx.service.gapReport();

    // Assess: in both lists, counted once per caller, without the prefix typed on the way.
    const kitchen = report.noGoodMatch.find((g) => g.label.includes('kitchen coffee'));
    expect(kitchen).toMatchObject({ count: 2, reasons: { 'no-good-match': 2 }, examples: ['kitchen coffee machine broken again'] });
    expect(report.zeroResultSearches.find((g) => g.label.includes('kitchen coffee'))?.count).toBe(2);
    const asked = report.noGoodMatch.flatMap((g) => g.examples);
    expect(asked.some((e) => /passw|vpn/i.test(e))).toBe(false);
  });
});
