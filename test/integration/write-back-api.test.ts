import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GapReport, ResolutionWriteResponse, SuggestResponse } from '../../functions/src/contracts/api.ts';
import { postJson } from '../helpers/platform.ts';
import { putJson, resolutionBody, writeBackApp } from '../helpers/write-back.ts';

let ctx: Awaited<ReturnType<typeof writeBackApp>>;
beforeAll(async () => {
  ctx = await writeBackApp();
});
afterAll(() => ctx.close());

const put = async (ticket: string, body: unknown) => {
  const response = await ctx.app.request(`/tickets/jira/${ticket}/resolution`, putJson(body));
  return { status: response.status, body: (await response.json()) as ResolutionWriteResponse & { errors?: { field: string }[] } };
};

describe('PUT /tickets/{source}/{ticketId}/resolution', () => {
  it('answers 201 created, then 200 unchanged for a replay, unchanged for an older and updated for a newer closedAt', async () => {
    expect(await put('HD-100', resolutionBody())).toMatchObject({ status: 201, body: { result: 'created' } });
    expect(await put('HD-100', resolutionBody())).toMatchObject({ status: 200, body: { result: 'unchanged' } });
    const older = await put('HD-100', resolutionBody({ closedAt: '2026-11-19T10:00:00Z', summary: 'stale retry' }));
    expect(older).toMatchObject({
      status: 200,
      body: { result: 'unchanged', resolution: { summary: 'GlobalProtect will not connect from the hotel' } },
    });
    const newer = await put('HD-100', resolutionBody({ closedAt: '2026-11-21T10:00:00Z', outcome: 'workaround' }));
    expect(newer).toMatchObject({ status: 200, body: { result: 'updated', resolution: { outcome: 'workaround' } } });
    const stored = await (await ctx.app.request('/tickets/jira/HD-100/resolution')).json();
    expect(stored).toMatchObject({ source: 'jira', ticketId: 'HD-100', outcome: 'workaround', closedAt: '2026-11-21T10:00:00.000Z' });
  });

  it("accepts closing times as ticket systems write them (Jira's +0000, nanoseconds) and stores them in UTC", async () => {
    const closed = (closedAt: string) => resolutionBody({ runbookId: 'wifi-wont-connect', closedAt });
    const jira = await put('HD-110', closed('2026-11-21T11:00:00.0+0100'));
    expect(jira).toMatchObject({ status: 201, body: { resolution: { closedAt: '2026-11-21T10:00:00.000Z' } } });
    // The same instant written another way is a replay, not an update.
    expect(await put('HD-110', closed('2026-11-21T10:00:00.000000000Z'))).toMatchObject({
      status: 200,
      body: { result: 'unchanged' },
    });
  });

  it.each([
    ['an unknown outcome', { outcome: 'fixed' }, 'outcome'],
    ['a closedAt that is not a date-time', { closedAt: 'yesterday' }, 'closedAt'],
    ['a closedAt without a time zone', { closedAt: '2026-11-20 10:00:00' }, 'closedAt'],
    ['a closedAt on a day that does not exist', { closedAt: '2026-02-30T10:00:00Z' }, 'closedAt'],
    ['a missing summary', { summary: undefined }, 'summary'],
    ['a runbook that does not exist', { runbookId: 'no-such-runbook' }, 'runbookId'],
    ['no-runbook naming a runbook', { outcome: 'no-runbook' }, 'runbookId'],
  ])('refuses %s with a 400 naming the field and stores nothing', async (_name, overrides, field) => {
    const ticket = `BAD-${field}-${Math.random().toString(36).slice(2, 8)}`;
    const { status, body } = await put(ticket, resolutionBody(overrides));
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.field)).toContain(field);
    expect((await ctx.app.request(`/tickets/jira/${ticket}/resolution`)).status).toBe(404);
  });

  it('keeps the runbook an earlier write linked when a later one names none; no-runbook clears it', async () => {
    // Prepare: the rule on Resolved, with the runbook from the ticket's Runbook field.
    await put('HD-120', resolutionBody({ runbookId: 'wifi-wont-connect', closedAt: '2026-11-21T10:00:00Z' }));
    // Act: the rule on Closed writes the final resolution an hour later, without a runbook.
    const closing = await put('HD-120', resolutionBody({ runbookId: undefined, summary: 'Wi-Fi fixed', closedAt: '2026-11-21T11:00:00Z' }));
    // Assess
    expect(closing).toMatchObject({
      status: 200,
      body: { result: 'updated', resolution: { runbookId: 'wifi-wont-connect', summary: 'Wi-Fi fixed' } },
    });
    const cleared = await put('HD-120', resolutionBody({ runbookId: undefined, outcome: 'no-runbook', closedAt: '2026-11-21T12:00:00Z' }));
    expect(cleared.body.resolution.runbookId).toBeUndefined();
  });

  it('takes the same write with the ticket id in the body, for webhooks with a fixed URL', async () => {
    const post = async (body: unknown) => {
      const response = await ctx.app.request('/tickets/zendesk/resolutions', postJson(body));
      return { status: response.status, body: (await response.json()) as ResolutionWriteResponse & { errors?: { field: string }[] } };
    };
    const body = resolutionBody({ runbookId: 'wifi-wont-connect', ticketId: '48213' });
    expect(await post(body)).toMatchObject({
      status: 201,
      body: { result: 'created', resolution: { source: 'zendesk', ticketId: '48213' } },
    });
    expect(await post(body)).toMatchObject({ status: 200, body: { result: 'unchanged' } });
    expect((await ctx.app.request('/tickets/zendesk/48213/resolution')).status).toBe(200);
    const missing = await post(resolutionBody());
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.map((e) => e.field)).toEqual(['ticketId']);
  });

  it('refuses a bad ticket id in the path and malformed JSON', async () => {
    expect((await ctx.app.request('/tickets/jira/has%20space/resolution', putJson(resolutionBody()))).status).toBe(400);
    expect((await ctx.app.request('/tickets/jira/HD-9/resolution', putJson('{"outcome":'))).status).toBe(400);
    expect((await ctx.app.request('/tickets/jira/HD-9/resolution')).status).toBe(404);
  });
});

describe('the learning loop', () => {
  it('shows a runbook higher for the next similar ticket once tickets like it were resolved with it, and lists the past fix', async () => {
    // Prepare: a vaguely worded ticket that the runbooks' own words do not lead to OneDrive first
    // (the runbook's requester phrasings now cover "files not on my other computer" themselves).
    const ticket = { subject: "the stuff I typed on my laptop last night isn't there on the office pc", limit: 5 };
    const rankOf = (r: SuggestResponse) => r.suggestions.findIndex((s) => s.id === 'onedrive-not-syncing');
    const before = (await (await ctx.app.request('/suggest', postJson(ticket))).json()) as SuggestResponse;
    expect(rankOf(before) === -1 || rankOf(before) > 1, `OneDrive at ${rankOf(before)} before`).toBe(true);
    expect(before.similarResolutions).toEqual([]);

    // Act: two tickets worded like it were closed as fixed by the OneDrive runbook.
    for (const id of ['HD-200', 'HD-201']) {
      const body = resolutionBody({
        runbookId: 'onedrive-not-syncing',
        summary: 'what I typed on the laptop last night is missing on the office PC',
        resolution: 'OneDrive sync was paused; resumed it and signed in again.',
      });
      expect((await put(id, body)).status).toBe(201);
    }
    const after = (await (await ctx.app.request('/suggest', postJson(ticket))).json()) as SuggestResponse;

    // Assess: the runbook is now suggested near the top, with the past tickets as evidence.
    expect(rankOf(after)).toBeGreaterThanOrEqual(0);
    expect(rankOf(after)).toBeLessThanOrEqual(1);
    expect(after.similarResolutions.map((r) => r.ticketId).sort()).toEqual(['HD-200', 'HD-201']);
    expect(after.similarResolutions[0]).toMatchObject({ runbookId: 'onedrive-not-syncing', outcome: 'resolved' });
  });

  it('demotes a runbook agents marked not helpful for similar searches', async () => {
    const q = { subject: 'teams camera is black in meetings', limit: 5 };
    const before = (await (await ctx.app.request('/suggest', postJson(q))).json()) as SuggestResponse;
    const top = before.suggestions[0]?.id as string;
    // Three agents: one agent's repeated votes count once (test/integration/access.test.ts).
    for (const agent of ['amy', 'sam', 'kim']) {
      const post = postJson({ kind: 'not-helpful', query: q.subject });
      const response = await ctx.app.request(`/runbooks/${top}/feedback`, { ...post, headers: { ...post.headers, 'x-test-agent': agent } });
      expect(response.status).toBe(201);
    }
    const after = (await (await ctx.app.request('/suggest', postJson(q))).json()) as SuggestResponse;
    const scoreOf = (r: SuggestResponse) => r.suggestions.find((s) => s.id === top)?.score ?? 0;
    expect(scoreOf(after)).toBeLessThan(scoreOf(before));
    const usage = await (await ctx.app.request(`/runbooks/${top}/usage`)).json();
    expect(usage.notHelpful).toBe(3);
  });
});

describe('feedback, usage and the gap report', () => {
  it('records feedback for known runbooks only', async () => {
    const ok = await ctx.app.request(
      '/runbooks/printer-offline-queue-stuck/feedback',
      postJson({ kind: 'flag', comment: 'The spooler path changed in 24H2' }),
    );
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ runbookId: 'printer-offline-queue-stuck', kind: 'flag' });
    expect((await ctx.app.request('/runbooks/nope/feedback', postJson({ kind: 'helpful' }))).status).toBe(404);
    expect((await ctx.app.request('/runbooks/printer-offline-queue-stuck/feedback', postJson({ kind: 'love' }))).status).toBe(400);
  });

  it('reports zero-result searches, tickets without a runbook grouped by similarity, flagged runbooks, link rate and reuse', async () => {
    // Two agents, one of them twice: a gap counts once per searcher.
    for (const agent of ['amy', 'sam', 'amy'])
      await ctx.app.request('/search?q=zxqv+wombat+frobnicator', { headers: { 'x-test-agent': agent } });
    await ctx.app.request('/search?q=qua'); // too short to be a gap: a word still being typed
    await put(
      'GAP-1',
      resolutionBody({
        runbookId: undefined,
        outcome: 'no-runbook',
        summary: 'badge reader rejects new starter badge',
        category: 'security',
      }),
    );
    await put(
      'GAP-2',
      resolutionBody({
        runbookId: undefined,
        outcome: 'no-runbook',
        summary: 'new starter badge rejected by reader',
        category: 'security',
      }),
    );
    await put('GAP-3', resolutionBody({ runbookId: undefined, outcome: 'resolved', summary: 'fixed by hand' }));

    const report = (await (await ctx.app.request('/analytics/gaps')).json()) as GapReport;
    expect(report.zeroResultSearches).toEqual([expect.objectContaining({ label: 'zxqv wombat frobnicator', count: 2 })]);
    const badge = report.ticketsWithoutRunbook.find((g) => g.category === 'security');
    expect(badge).toMatchObject({ count: 2, tickets: expect.arrayContaining(['jira/GAP-1', 'jira/GAP-2']) });
    expect(report.problemRunbooks.find((p) => p.id === 'printer-offline-queue-stuck')).toMatchObject({
      flagged: 1,
      comments: ['The spooler path changed in 24H2'],
    });
    expect(report.linkRate).toBeGreaterThan(0);
    expect(report.linkRate).toBeLessThan(1);
    expect(report.reuse.find((r) => r.id === 'vpn-client-wont-connect')).toMatchObject({
      resolved: 1,
      title: 'VPN client will not connect',
    });
    expect(report.reuse.find((r) => r.id === 'onedrive-not-syncing')?.resolved).toBe(2);
  });
});

describe('a failing resolution index', () => {
  it('still answers a suggestion from the runbooks, without similar resolutions, and logs why', async () => {
    // Inject the fault: reading past tickets fails (the runbook index still answers).
    const similar = vi.spyOn(ctx.writeBack.index, 'similar').mockRejectedValue(new Error('resolution index unavailable'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await ctx.app.request('/suggest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'OneDrive stopped syncing my documents folder yesterday' }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.suggestions[0]?.id).toBe('onedrive-not-syncing');
    expect(body.similarResolutions).toEqual([]);
    expect(similar).toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ message: 'past tickets not consulted: the resolution index failed' }));
    similar.mockRestore();
    warn.mockRestore();
  });
});

describe('a failing store behind the gap report', () => {
  it('still answers a search and a suggestion with no good match, and logs the gap it could not record', async () => {
    // Inject the fault: the table refuses the gap record (throttled, unreachable).
    const record = vi.spyOn(ctx.writeBack.store, 'recordSearchGap').mockRejectedValue(new Error('ProvisionedThroughputExceeded'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const search = await ctx.app.request('/search?q=zebra+grooming+schedule');
    const suggest = await ctx.app.request('/suggest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'zebra grooming schedule for the office pets' }),
    });
    expect(search.status).toBe(200);
    expect(suggest.status).toBe(200);
    expect(record).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'search gap not recorded', error: 'Error: ProvisionedThroughputExceeded' }),
    );
    record.mockRestore();
    warn.mockRestore();
  });
});

describe('a failing resolution indexer', () => {
  it('retries, then dead-letters the event without losing the write, and a replay applies it', async () => {
    // Inject the fault: the resolution index refuses every write for now.
    const upsert = vi.spyOn(ctx.writeBack.index, 'upsert').mockRejectedValue(new Error('index unavailable'));
    const { status } = await put('DLQ-1', resolutionBody({ summary: 'dead letter ticket about printers' }));
    expect(status).toBe(201);
    expect(upsert).toHaveBeenCalledTimes(3);
    expect((await ctx.app.request('/tickets/jira/DLQ-1/resolution')).status).toBe(200);
    const letters = await (await ctx.app.request('/admin/dead-letters')).json();
    expect(letters.deadLetters).toEqual([expect.objectContaining({ error: 'index unavailable', attempts: 3 })]);

    upsert.mockRestore();
    const replay = await (await ctx.app.request('/admin/dead-letters/replay', { method: 'POST' })).json();
    expect(replay).toEqual({ replayed: 1, failed: 0 });
    expect((await (await ctx.app.request('/admin/dead-letters')).json()).deadLetters).toEqual([]);
    const signals = await ctx.writeBack.index.all();
    expect(signals.some((s) => s.key === 'ticket:jira/DLQ-1')).toBe(true);
  });
});
