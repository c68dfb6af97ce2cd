import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
