import { describe, expect, it } from 'vitest';
import { type FlagNotice, flagNotifier, parseFlagWebhooks } from '../../functions/src/app/flag-notifier.ts';

const notice: FlagNotice = {
  runbookId: 'vpn-client-wont-connect',
  title: 'VPN client will not connect',
  owner: 'network-team',
  comment: 'Step 3 restarts the wrong service',
  ticketId: 'HD-7',
  tier: 'l1',
  at: '2026-11-23T10:00:00.000Z',
};

const recorder = (status = 200) => {
  const calls: { url: string; body: { text: string; runbookFlag: Record<string, unknown> } }[] = [];
  const post = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), body: JSON.parse(String(init?.body)) });
    return new Response('', { status });
  }) as typeof fetch;
  return { calls, post };
};

describe('flag notifications', () => {
  it("post to the owner team's webhook, falling back to *, as text Teams and Slack show", async () => {
    const { calls, post } = recorder();
    const notify = flagNotifier({
      webhooks: { 'network-team': 'https://hooks.example.com/net', '*': 'https://hooks.example.com/all' },
      webUrl: 'https://kb.example.com',
      log: () => {},
      post,
    });
    await notify(notice);
    await notify({ ...notice, owner: 'print-team' });
    expect(calls.map((c) => c.url)).toEqual(['https://hooks.example.com/net', 'https://hooks.example.com/all']);
    expect(calls[0]?.body.text).toContain(
      'VPN client will not connect (vpn-client-wont-connect) https://kb.example.com/#/runbook/vpn-client-wont-connect',
    );
    expect(calls[0]?.body.text).toContain('“Step 3 restarts the wrong service”');
    expect(calls[0]?.body.runbookFlag).toMatchObject({ team: 'network-team', ticketId: 'HD-7' });
  });

  it('log the flag when the team has no webhook, and log (never throw) when the webhook fails', async () => {
    const lines: string[] = [];
    await flagNotifier({ webhooks: {}, log: (l) => lines.push(l) })(notice);
    await flagNotifier({
      webhooks: { 'network-team': 'https://hooks.example.com/net' },
      log: (l) => lines.push(l),
      post: recorder(500).post,
    })(notice);
    const refused = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await flagNotifier({ webhooks: { '*': 'https://hooks.example.com/all' }, log: (l) => lines.push(l), post: refused })(notice);
    expect(lines[0]).toMatch(/^flag for network-team \(no webhook configured in KB_FLAG_WEBHOOKS\): ⚑ Runbook flagged: VPN client/);
    expect(lines[1]).toBe('flag for network-team: webhook answered 500; the flag is stored and on the gap report');
    expect(lines[2]).toBe('flag for network-team: webhook failed (fetch failed); the flag is stored and on the gap report');
  });

  it('refuse a malformed KB_FLAG_WEBHOOKS at start, naming the entry', () => {
    expect(parseFlagWebhooks(undefined)).toEqual({});
    expect(() => parseFlagWebhooks('{"network-team": "ftp://x"}')).toThrow(
      /KB_FLAG_WEBHOOKS is invalid: network-team: expected an http\(s\) URL/,
    );
    expect(() => parseFlagWebhooks('{nope')).toThrow(/KB_FLAG_WEBHOOKS is not JSON/);
  });
});
