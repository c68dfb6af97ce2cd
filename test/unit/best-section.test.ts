import { describe, expect, it } from 'vitest';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import { bestSection } from '../../functions/src/core/search/best-section.ts';
import { l1Runbook, source } from '../helpers/runbooks.ts';

const body = `## Symptoms

Outlook crashes when it starts.

## Fix

1. Start Outlook in safe mode and disable the add-in.

## Verify

Outlook starts.

## Escalation

To L2 when Outlook still crashes on start after the add-in is disabled.`;

describe('bestSection', () => {
  const result = compileRunbook(source('l1/crash.md', l1Runbook('crash', { body })));
  if (!result.ok) throw new Error('fixture');
  const runbook = result.runbook;

  it('points at the section that answers rather than the escalation that repeats the words', () => {
    // "crash" and "start" appear in Symptoms and in Escalation alike; escalation counts for half.
    expect(
      bestSection(
        runbook,
        new Map([
          ['crash', 1],
          ['start', 1],
        ]),
      )?.kind,
    ).toBe('symptoms');
  });

  it('counts a term in a heading twice, and can be limited to one kind', () => {
    expect(
      bestSection(
        runbook,
        new Map([
          ['verifi', 1],
          ['outlook', 1],
        ]),
      )?.kind,
    ).toBe('verify');
    expect(bestSection(runbook, new Map([['crash', 1]]), 'fix')?.anchor).toBe('fix');
  });
});
