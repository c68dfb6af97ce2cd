import { describe, expect, it } from 'vitest';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import { l1Runbook, source } from '../helpers/runbooks.ts';

describe('compileRunbook', () => {
  it('reads metadata, sections, fix steps with their commands, and links', () => {
    // Prepare
    const text = l1Runbook('vpn-drops', {
      extra: 'related: [dns-fails]\nescalate-to: { tier: l2, team: "Network" }\nreview-by: 2027-01-31',
      body: `## Symptoms

The VPN drops.

## Fix

1. Restart the agent.

   \`\`\`powershell
   Restart-Service vpnagent
   \`\`\`

2. Check [DNS](../l2/dns-fails.md) and [the vendor page](https://example.com/vpn).

## Verify

Connected for an hour.

## Escalation

To L2.`,
    });

    // Act
    const result = compileRunbook(source('l1/vpn-drops.md', text), { categories: new Set(['network']) });

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { runbook } = result;
    expect(runbook.meta).toMatchObject({
      id: 'vpn-drops',
      tier: 'l1',
      category: 'network',
      state: 'validated',
      audience: ['l1', 'l2', 'l3', 'infra'],
      escalateTo: { tier: 'l2', team: 'Network' },
      reviewBy: '2027-01-31',
      related: ['dns-fails'],
    });
    expect(runbook.sections.map((s) => [s.kind, s.anchor])).toEqual([
      ['symptoms', 'symptoms'],
      ['fix', 'fix'],
      ['verify', 'verify'],
      ['escalation', 'escalation'],
    ]);
    expect(runbook.steps).toEqual([
      { n: 1, text: 'Restart the agent.', commands: [{ lang: 'powershell', code: 'Restart-Service vpnagent' }] },
      { n: 2, text: 'Check DNS and the vendor page.', commands: [] },
    ]);
    expect(runbook.links.map((l) => [l.url, l.internal])).toEqual([
      ['../l2/dns-fails.md', true],
      ['https://example.com/vpn', false],
    ]);
    expect(runbook.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(runbook.messages).toEqual([]);
    expect(runbook.native).toBe(true);
  });

  it('gives the same hash for the same bytes and a different one after an edit', () => {
    const a = compileRunbook(source('l1/a.md', l1Runbook('a')));
    const b = compileRunbook(source('l1/a.md', l1Runbook('a')));
    const c = compileRunbook(source('l1/a.md', l1Runbook('a', { title: 'Edited' })));
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(a.runbook.hash).toBe(b.runbook.hash);
    expect(c.runbook.hash).not.toBe(a.runbook.hash);
  });

  it('sanitizes HTML: raw HTML, scripts, event handlers and javascript: links never reach the output', () => {
    const body = `## Symptoms

<script>alert('x')</script>
<img src="x" onerror="alert(1)">
<div onclick="steal()">click</div>

[click me](javascript:alert(1)) and **bold**

## Fix

1. Nothing.

## Verify

ok

## Escalation

To L2.`;
    const result = compileRunbook(source('l1/xss.md', l1Runbook('xss', { body })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const html = result.runbook.html;
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:/i);
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('click me');
  });

  it('infers metadata for foreign Markdown and reports it as one warning', () => {
    const text = `---
title: Can't send email from Outlook
description: Outlook shows error 0x800CCC0E when sending.
ms.topic: troubleshooting
audience: ITPro
---

# Can't send email from Outlook

## Symptoms

Sending fails.

## Resolution

Repair the profile.
`;
    const result = compileRunbook(source('Outlook/Client/cannot-send.md', text));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { runbook } = result;
    expect(runbook.native).toBe(false);
    expect(runbook.meta).toMatchObject({
      id: 'outlook-client-cannot-send',
      title: "Can't send email from Outlook",
      tier: 'l2',
      state: 'not-validated',
      symptoms: ['Outlook shows error 0x800CCC0E when sending.'],
    });
    expect(runbook.sections.find((s) => s.heading === 'Resolution')?.kind).toBe('fix');
    expect(runbook.messages.every((m) => m.severity === 'warning')).toBe(true);
    expect(runbook.messages.some((m) => m.reason.includes('Missing runbook-kb fields'))).toBe(true);
  });

  it('takes the title from the first heading and the tier from a tier-named folder when frontmatter has none', () => {
    const result = compileRunbook(source('docs/tier-3/KubeNodeNotReady.md', '# KubeNodeNotReady\n\n## Meaning\n\nA node is not ready.\n'));
    expect(result.ok && result.runbook.meta).toMatchObject({ title: 'KubeNodeNotReady', tier: 'l3', id: 'docs-tier-3-kubenodenotready' });
  });

  it('turns missing fields into errors with --strict', () => {
    const result = compileRunbook(source('wiki/page.md', '# Page\n\ntext\n'), { strict: true });
    expect(result.ok && result.runbook.messages.map((m) => m.severity)).toEqual(['error']);
  });
});
