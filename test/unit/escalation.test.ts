import { describe, expect, it } from 'vitest';
import type { CompiledRunbook, Tier } from '../../functions/src/core/runbook/model.ts';
import { parseTaxonomy, TaxonomyError } from '../../functions/src/core/runbook/taxonomy.ts';
import { escalationFor, queueFor, type Scored } from '../../functions/src/core/search/escalation.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { escalationQueues } from '../../functions/src/core/search/queues.ts';
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

describe('queueFor: who the advice names', () => {
  // The taxonomy as content/taxonomy.yaml shapes it: teams by owner slug, a default team per tier.
  const queues = escalationQueues(
    parseTaxonomy(`categories: []
teams:
  - { id: service-desk-l2, name: Service Desk L2, queue: SD-L2 }
  - { id: engineering-triage, name: Engineering Triage, queue: ENG-L3 }
  - { id: windows-infrastructure, name: Windows Infrastructure, queue: WIN-L3 }
  - { id: print-services, name: Print Services }
escalation: { l2: service-desk-l2, l3: engineering-triage }
`),
  );
  const dhcp = scored('dhcp-scope-exhausted', 'l3', 0.6, { owner: 'windows-infrastructure' });

  it("names the followed runbook's escalate-to team first, then a related match's, for that tier", () => {
    const followed = scored('wifi', 'l1', 0.4, { to: 'l3', team: 'Network Support (queue NET-L3)' });
    const related = scored('apipa', 'l2', 0.5, { to: 'l3', team: 'Windows Infrastructure (queue WIN-L3)' });
    expect(queueFor('l3', followed, [related], dhcp, queues)).toBe('Network Support (queue NET-L3)');
    expect(queueFor('l3', undefined, [related], dhcp, queues)).toBe('Windows Infrastructure (queue WIN-L3)');
  });

  it('names the owner of the runbook the tier should open by its team name, when the taxonomy lists that team', () => {
    // Prepare: nothing the agent saw names an L3 team; the runbook L3 should open is owned by a listed team.
    const followed = scored('wifi', 'l1', 0.4, { to: 'l2', team: 'Network Support (queue NET-L2)' });
    // Act / Assess: the team's name and queue, not "windows-infrastructure".
    expect(queueFor('l3', followed, [], dhcp, queues)).toBe('Windows Infrastructure (queue WIN-L3)');
  });

  it("falls back to the taxonomy's team for the tier before an owner slug no team list knows, or when no runbook is handed over", () => {
    const unlisted = scored('cluster-down', 'l3', 0.6, { owner: 'someone-else' });
    expect(queueFor('l3', undefined, [], unlisted, queues)).toBe('Engineering Triage (queue ENG-L3)');
    expect(queueFor('l2', undefined, [], undefined, queues)).toBe('Service Desk L2 (queue SD-L2)');
  });

  it('keeps an unknown owner slug as written when the taxonomy has no team for the tier', () => {
    // No default for infra in this taxonomy.
    expect(queueFor('infra', undefined, [], scored('x', 'infra', 0.6, { owner: 'someone-else' }), queues)).toBe('someone-else');
    // A team without a queue is named alone; escalate-to may give a team id too.
    expect(queueFor('l2', scored('p', 'l1', 0.4, { to: 'l2', team: 'print-services' }), [], undefined, queues)).toBe('Print Services');
  });

  it('without a taxonomy, keeps the owner slug (as before)', () => {
    expect(queueFor('l3', undefined, [], dhcp)).toBe('windows-infrastructure');
  });

  it('escalationFor names the queue and the runbook to open for an unmatched L1 site-wide ticket', () => {
    // Prepare: the L1 desk has nothing; an L3 runbook matches at medium confidence, a site-wide ticket.
    const advice = escalationFor({ requester: 'l1', visible: [], hidden: [dhcp], text: 'Whole 2nd floor has no network' }, options, {
      queues,
    });
    expect(advice).toMatchObject({ recommended: true, toTier: 'l3', team: 'Windows Infrastructure (queue WIN-L3)' });
    expect(advice.runbook?.id).toBe('dhcp-scope-exhausted');
    // Nothing to open at L3: the L3 default queue.
    const none = escalationFor({ requester: 'l1', visible: [], hidden: [], text: 'Whole 2nd floor has no network' }, options, { queues });
    expect(none).toMatchObject({ toTier: 'l3', team: 'Engineering Triage (queue ENG-L3)' });
  });
});

describe('parseTaxonomy: teams and escalation queues', () => {
  const withTeams = (rest: string) =>
    `categories: [{ id: network }]\nteams:\n  - { id: net, name: Network Support, queue: NET-L2 }\n${rest}`;

  it('reads teams and the default team of each tier', () => {
    const queues = escalationQueues(parseTaxonomy(withTeams('escalation: { l2: net }\n')));
    expect(queues.byTier).toEqual({ l2: 'Network Support (queue NET-L2)' });
    expect(queues.teams.get('net')).toBe('Network Support (queue NET-L2)');
  });

  it.each([
    [
      'an escalation naming no listed team',
      withTeams('escalation:\n  l3: nobody\n'),
      5,
      'Unexpected team `nobody` for `escalation.l3`, expected a team id from `teams` (net)',
    ],
    ['a duplicate team id', withTeams('  - { id: net, name: Other }\n'), 4, 'Duplicate team id `net`, expected each id once'],
    ['a team without a name', 'categories: []\nteams:\n  - { id: net }\n', 3, '`teams.0.name`'],
    [
      'an unknown tier',
      withTeams('escalation: { l9: net }\n'),
      4,
      'Unexpected tier `l9` in `escalation`, expected one of l1, l2, l3, infra',
    ],
  ])('rejects %s at its line', (_case, text, line, reason) => {
    let error: unknown;
    try {
      parseTaxonomy(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TaxonomyError);
    expect(error).toMatchObject({ line, reason: expect.stringContaining(reason) });
  });
});
