import { describe, expect, it } from 'vitest';
import type { CompiledRunbook, Tier } from '../../functions/src/core/runbook/model.ts';
import { escalationFor, type Scored } from '../../functions/src/core/search/escalation.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { ticketReach } from '../../functions/src/core/search/ticket-reach.ts';

const options = searchOptions();

/** Only the fields escalation reads; the rest of a compiled runbook plays no part. */
function scored(
  id: string,
  tier: Tier,
  confidence: number,
  meta: { team?: string; to?: Tier; owner?: string; title?: string } = {},
): Scored {
  const runbook = {
    id,
    path: `${tier}/${id}.md`,
    meta: {
      id,
      title: meta.title ?? `Title of ${id}`,
      tier,
      ...(meta.owner ? { owner: meta.owner } : {}),
      ...(meta.team || meta.to ? { escalateTo: { ...(meta.to ? { tier: meta.to } : {}), ...(meta.team ? { team: meta.team } : {}) } } : {}),
    },
  } as unknown as CompiledRunbook;
  return { runbook, confidence };
}

describe('ticketReach: a ticket bigger than one user', () => {
  it.each([
    ['Whole 2nd floor has no network, laptops get 169.254 addresses', 'a whole site', 'whole 2nd floor'],
    ['Nobody can print on the 3rd floor since this morning', 'a whole site', 'nobody can print'],
    ['Nobody on the 3rd floor can print', 'a whole site', 'nobody on the 3rd floor can print'],
    ['All users at the Leeds site get "trust relationship failed"', 'a whole site', 'all users'],
    ['Everyone is getting a certificate warning on the intranet', 'a whole site', 'everyone is getting'],
    ["Everybody on the ground floor can't connect to wifi", 'a whole site', 'everybody on the ground floor'],
    ['Internet down across the office', 'a whole site', 'across the office'],
    ['site-wide outage: phones and PCs offline', 'a whole site', 'site-wide'],
    ['No one has internet in the Bristol office', 'a whole site', 'no one has internet'],
    ['Entire building lost wifi after the power cut', 'a whole site', 'entire building'],
    ['Multiple users report Outlook keeps asking for a password', 'several users', 'multiple users'],
    ['Outlook crashes for 5 users in finance', 'several users', '5 users'],
    ['My team cannot open the shared drive since Monday', 'several users', 'my team cannot'],
    ['Teams calls drop, my colleagues have the same problem', 'several users', 'my colleagues have the same'],
  ])('"%s" says %s', (ticket, reach, phrase) => {
    expect(ticketReach(ticket)).toEqual(expect.objectContaining({ reach, phrase }));
  });

  it.each([
    'All my files are gone from OneDrive',
    "Everyone in the meeting can hear me but I can't hear them",
    'Everyone else gets my emails but I do not get theirs',
    'All my emails disappeared from the inbox',
    'The whole screen flickers on my laptop',
    'Outlook asks for my password on every device',
    "The whole office suite won't open after the update",
    'All the Office apps crash when I open them',
    'No one can tell me why my laptop is so slow',
    'I have two accounts and cannot switch between them',
    'It works on other computers, just not mine',
    'Other users are fine, only my PC has no sound',
    'I have been waiting all day and the entire time the VPN drops',
  ])('"%s" is one user', (ticket) => {
    expect(ticketReach(ticket)).toBeUndefined();
  });
});

describe('escalationFor', () => {
  const wifi = scored('wifi-cannot-connect', 'l1', 0.72, { to: 'l2', team: 'Network Support (queue NET-L2)' });
  const apipa = scored('client-no-ip-apipa', 'l2', 0.55, { to: 'l3', team: 'Windows Infrastructure (queue WIN-L3)' });
  const dhcp = scored('dhcp-scope-exhausted', 'l3', 0.41, {
    owner: 'windows-infrastructure',
    title: 'DHCP scope exhausted or DHCP failover broken',
  });

  it('does not escalate a one-user ticket with a confident match', () => {
    const advice = escalationFor(
      { requester: 'l1', visible: [wifi], hidden: [apipa, dhcp], text: 'My laptop will not join the Wi-Fi' },
      options,
    );
    expect(advice).toMatchObject({ recommended: false });
  });

  it('raises a whole-floor outage two tiers even when an L1 runbook seems to fit, naming the queue and the runbook to open', () => {
    const text = 'Whole 2nd floor has no network, laptops get 169.254';
    const advice = escalationFor({ requester: 'l1', visible: [wifi], hidden: [apipa, dhcp], text }, options);
    expect(advice).toMatchObject({
      recommended: true,
      toTier: 'l3',
      team: 'Windows Infrastructure (queue WIN-L3)',
      runbook: { id: 'dhcp-scope-exhausted', tier: 'l3', title: 'DHCP scope exhausted or DHCP failover broken' },
      reach: { scope: 'a whole site', phrase: 'whole 2nd floor' },
    });
    expect(advice.reason).toMatch(/whole site.*whole 2nd floor.*outage/);
  });

  it('raises several users one tier above the requester, to the queue the followed runbook names', () => {
    const advice = escalationFor(
      { requester: 'l1', visible: [wifi], hidden: [], text: 'Several users on the guest Wi-Fi cannot connect' },
      options,
    );
    expect(advice).toMatchObject({ recommended: true, toTier: 'l2', team: 'Network Support (queue NET-L2)' });
    expect(advice.runbook).toBeUndefined();
  });

  it('keeps a higher tier that a confident hidden runbook already asks for', () => {
    const confidentDhcp = { ...dhcp, confidence: 0.8 };
    const advice = escalationFor(
      { requester: 'l1', visible: [], hidden: [confidentDhcp], text: 'Multiple users get no IP address' },
      options,
    );
    expect(advice).toMatchObject({ toTier: 'l3', runbook: { id: 'dhcp-scope-exhausted' }, team: 'windows-infrastructure' });
  });

  it("escalates an unmatched ticket to the tier the best answer names, with that tier's best runbook", () => {
    const weakWifi = { ...wifi, confidence: 0.3 };
    const l2Match = scored('dns-client', 'l2', 0.45);
    const advice = escalationFor({ requester: 'l1', visible: [weakWifi], hidden: [l2Match], text: 'Wi-Fi is odd' }, options);
    expect(advice).toMatchObject({
      recommended: true,
      toTier: 'l2',
      team: 'Network Support (queue NET-L2)',
      runbook: { id: 'dns-client' },
    });
  });

  it('names no runbook for the next tier when none matches well enough', () => {
    const advice = escalationFor(
      { requester: 'l1', visible: [], hidden: [scored('dns-client', 'l2', 0.2)], text: 'printer jammed' },
      options,
    );
    expect(advice).toMatchObject({ recommended: true, toTier: 'l2' });
    expect(advice.runbook).toBeUndefined();
    expect(advice.reason).toBe('No L1 runbook matches this ticket');
  });

  it('caps the raise at the top tier', () => {
    const advice = escalationFor({ requester: 'l3', visible: [], hidden: [], text: 'All users at every site are down' }, options);
    expect(advice.toTier).toBe('infra');
  });
});
