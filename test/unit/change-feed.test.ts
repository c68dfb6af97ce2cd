import { describe, expect, it } from 'vitest';
import { ChangeFeed, type RunbookChange } from '../../functions/src/local/change-feed.ts';

describe('the change feed of kb serve', () => {
  it('tells a reader only of runbooks its tier may read, removals included', () => {
    // Prepare: an L1 runbook and an L3 one, as loaded at start.
    const feed = new ChangeFeed([
      { id: 'vpn-drops', meta: { audience: ['l1', 'l2', 'l3', 'infra'] } },
      { id: 'ldap-bind-fails', meta: { audience: ['l3', 'infra'] } },
    ]);
    const l1: RunbookChange[] = [];
    const l3: RunbookChange[] = [];
    feed.subscribe('l1', (c) => l1.push(c));
    const stop = feed.subscribe('l3', (c) => l3.push(c));

    // Act
    feed.publish({ id: 'vpn-drops', kind: 'indexed' });
    feed.publish({ id: 'ldap-bind-fails', kind: 'indexed' });
    feed.publish({ id: 'ldap-bind-fails', kind: 'removed' });
    feed.publish({ id: 'new-l3', kind: 'indexed' }, ['l3', 'infra']);
    stop();
    feed.publish({ id: 'vpn-drops', kind: 'removed' });

    // Assess
    expect(l1.map((c) => `${c.id} ${c.kind}`)).toEqual(['vpn-drops indexed', 'vpn-drops removed']);
    expect(l3.map((c) => `${c.id} ${c.kind}`)).toEqual([
      'vpn-drops indexed',
      'ldap-bind-fails indexed',
      'ldap-bind-fails removed',
      'new-l3 indexed',
    ]);
  });
});
