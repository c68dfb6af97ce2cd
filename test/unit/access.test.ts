import { describe, expect, it } from 'vitest';
import { authorize } from '../../functions/src/core/access/authorize.ts';
import { agentIdentity, clientIdentity, localDeveloper } from '../../functions/src/core/access/identities.ts';
import { effectiveTier, tierFromGroups } from '../../functions/src/core/access/scopes.ts';
import { mergeTop } from '../../functions/src/core/resolutions/gaps.ts';

const jira = clientIdentity({ name: 'jira', scopes: ['search', 'resolve'], tier: 'l1' });

describe('the reader’s tier', () => {
  it('is the identity’s, narrowed but never widened by what the request asks', () => {
    expect(effectiveTier({ tier: 'l1' }, 'l3')).toBe('l1');
    expect(effectiveTier({ tier: 'l3' }, 'l1')).toBe('l1');
    expect(effectiveTier({ tier: 'l2' }, undefined)).toBe('l2');
  });

  it('comes from the highest kb-<tier> group, and there is none without one', () => {
    expect(tierFromGroups(['staff', 'kb-l1', 'kb-l3'])).toBe('l3');
    expect(tierFromGroups(['staff', 'kb-admin'])).toBeUndefined();
    expect(agentIdentity({ sub: 'u', groups: ['staff'] })).toBeUndefined();
    expect(agentIdentity({ sub: 'u', groups: ['kb-l2', 'kb-admin'] })?.scopes).toContain('admin');
    expect(agentIdentity({ sub: 'u', groups: ['kb-l2'] })?.scopes).not.toContain('admin');
  });
});

describe('authorize', () => {
  it('answers 401 without an identity and lets public routes through', () => {
    expect(authorize(undefined, 'search')).toMatchObject({ allowed: false, status: 401 });
    expect(authorize(undefined, 'public')).toEqual({ allowed: true });
  });

  it('answers 403 for a missing scope or another source, and allows the key’s own source', () => {
    expect(authorize(jira, 'feedback')).toMatchObject({ allowed: false, status: 403 });
    expect(authorize(jira, 'resolve', 'zendesk')).toMatchObject({ allowed: false, status: 403 });
    expect(authorize(jira, 'resolve', 'jira')).toEqual({ allowed: true });
    const agent = agentIdentity({ sub: 'u', groups: ['kb-l1'] });
    expect(authorize(agent, 'resolve', 'jira')).toMatchObject({ allowed: false, status: 403 });
    expect(authorize(agent, 'resolve', 'web')).toEqual({ allowed: true });
    expect(authorize(localDeveloper('l1'), 'resolve', 'anything')).toEqual({ allowed: true });
  });
});

describe('the top gaps', () => {
  const at = '2026-12-01T00:00:00Z';
  it('keeps the most searched, replaces a query’s own entry, and never grows past the limit', () => {
    let top = mergeTop([], { query: 'a', count: 3, lastAt: at }, 2);
    top = mergeTop(top, { query: 'b', count: 1, lastAt: at }, 2);
    top = mergeTop(top, { query: 'c', count: 2, lastAt: at }, 2);
    expect(top.map((g) => g.query)).toEqual(['a', 'c']);
    top = mergeTop(top, { query: 'c', count: 5, lastAt: at }, 2);
    expect(top).toEqual([
      { query: 'c', count: 5, lastAt: at },
      { query: 'a', count: 3, lastAt: at },
    ]);
  });
});
