import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolution, ResolutionWriteResponse, SuggestAnswer } from '../../functions/src/contracts/api.ts';
import { writeBackApp } from '../helpers/write-back.ts';

/**
 * The README's recipes, as each ticket system renders them (test/fixtures/ticket-systems): the
 * create-time suggest call and the write-back on resolve, for Jira Service Management, Zendesk and
 * ServiceNow. A payload the README tells an admin to configure must be accepted as sent.
 */

interface Fixture {
  vendor: string;
  method: 'POST' | 'PUT';
  path: string;
  body: Record<string, unknown>;
}
const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../fixtures/ticket-systems/${name}.json`, import.meta.url), 'utf8')) as Fixture;

const WEB = 'https://kb.example.com/app';

let ctx: Awaited<ReturnType<typeof writeBackApp>>;
beforeAll(async () => {
  ctx = await writeBackApp({ webUrl: WEB });
});
afterAll(() => ctx.close());

const send = (f: Fixture) =>
  ctx.app.request(f.path, { method: f.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(f.body) });

describe.each([
  ['jira', 'vpn-client-wont-connect'],
  ['zendesk', 'outlook-password-prompt-loop'],
  ['servicenow', 'printer-offline-queue-stuck'],
])('%s: suggest on create', (vendor, expectedTop) => {
  it('answers with a note ready for the ticket and web links to each runbook at its fix', async () => {
    // Act
    const response = await send(fixture(`${vendor}-suggest`));

    // Assess
    expect(response.status).toBe(200);
    const answer = (await response.json()) as SuggestAnswer;
    const [top] = answer.suggestions;
    expect(top?.id).toBe(expectedTop);
    expect(top?.url).toBe(`${WEB}/#/runbook/${expectedTop}?section=${top?.fix?.anchor}`);
    for (const s of answer.suggestions) expect(s.url.startsWith(`${WEB}/#/runbook/${s.id}?section=`)).toBe(true);
    // The note names the fix, shows its steps and confidence, links it and says whether to escalate.
    const firstStep = top?.fix?.steps[0]?.text ?? '';
    expect(firstStep).not.toBe('');
    for (const note of [answer.note.text, answer.note.markdown]) {
      expect(note).toContain(top?.url);
      expect(note).toMatch(/\d+% confidence/);
      expect(note).toMatch(/escalate/i);
    }
    expect(answer.note.text).toContain(`Top fix: ${top?.title}`);
    expect(answer.note.text).toContain(`1. ${firstStep}`);
    expect(answer.note.markdown).toContain(`](${top?.url})`);
  });
});

describe('write-back on resolve', () => {
  const stored = async (path: string) => (await (await ctx.app.request(path)).json()) as Resolution;

  it('jira: an issue closed without a comment is stored with an empty resolution, its +0000 time in UTC', async () => {
    const response = await send(fixture('jira-resolve'));
    expect(response.status).toBe(201);
    expect(response.headers.get('x-kb-ignored-fields')).toBeNull();
    expect(await stored('/tickets/jira/HD-4711/resolution')).toMatchObject({
      ticketId: 'HD-4711',
      resolution: '',
      runbookId: 'vpn-client-wont-connect',
      closedAt: '2026-11-23T14:05:00.000Z',
    });
  });

  it('zendesk: an unquoted ticket id is stored as a string, and fields it does not know are ignored and named', async () => {
    const response = await send(fixture('zendesk-resolve'));
    expect(response.status).toBe(201);
    expect(response.headers.get('x-kb-ignored-fields')).toBe('status, via, requester');
    const written = (await response.json()) as ResolutionWriteResponse;
    expect(written.resolution).not.toHaveProperty('status');
    expect(await stored('/tickets/zendesk/35436/resolution')).toMatchObject({ ticketId: '35436', outcome: 'resolved' });
    // The same delivery again (Zendesk retries a webhook) changes nothing.
    const replay = await send(fixture('zendesk-resolve'));
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as ResolutionWriteResponse).result).toBe('unchanged');
  });

  it('servicenow: resolved_at as getValue() writes it, plus Z, is read as UTC', async () => {
    const response = await send(fixture('servicenow-resolve'));
    expect(response.status).toBe(201);
    expect(response.headers.get('x-kb-ignored-fields')).toBeNull();
    expect(await stored('/tickets/servicenow/INC0012345/resolution')).toMatchObject({
      ticketId: 'INC0012345',
      outcome: 'workaround',
      resolvedBy: 'Beth Anglin',
      closedAt: '2026-11-23T14:05:00.000Z',
    });
  });

  it('still refuses what cannot be a ticket id or a resolution, as a 400 problem naming the field', async () => {
    const body = fixture('zendesk-resolve').body;
    for (const [ticketId, field] of [
      [-1, 'ticketId'],
      [1.5, 'ticketId'],
      ['has space', 'ticketId'],
    ] as const) {
      const response = await send({ ...fixture('zendesk-resolve'), body: { ...body, ticketId } });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    }
  });
});

describe('the suggest note', () => {
  it('says plainly when nothing matches, and still gives the escalation advice', async () => {
    const response = await ctx.app.request('/suggest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'qzxv wplk', requesterTier: 'l1', ticketId: 7 }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as SuggestAnswer;
    if (answer.suggestions.length === 0) expect(answer.note.text).toContain('No runbook matches this ticket');
    expect(answer.note.text).toMatch(/escalate/i);
  });
});
