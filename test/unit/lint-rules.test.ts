import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintLibrary } from '../../functions/src/core/lint/lint.ts';
import { FIXTURES, sourcesIn } from '../helpers/runbooks.ts';

const categories = new Set(['network', 'accounts']);
const today = '2026-11-23';

function lintFolder(folder: string): string[] {
  const reports = lintLibrary(sourcesIn(join(FIXTURES, folder)), { today, categories });
  return reports.flatMap((r) => r.messages.map((m) => `${r.path}:${m.line ?? 1}:${m.column ?? 1} ${m.severity} ${m.reason} ${m.ruleId}`));
}

describe('lint rules (remark-runbook-*)', () => {
  it('pass the ok fixtures without a message', () => {
    expect(lintFolder('ok')).toEqual([]);
  });

  // Each not-ok fixture is the example from its rule's doc comment; expected.txt is the exact output.
  it('report every not-ok fixture at its line and column with its rule id', () => {
    const expected = readFileSync(join(FIXTURES, 'not-ok', 'expected.txt'), 'utf8')
      .trim()
      .split('\n');
    expect(lintFolder('not-ok')).toEqual(expected);
  });

  it('let configuration change a rule severity or turn it off', () => {
    const sources = sourcesIn(join(FIXTURES, 'not-ok'));
    const reports = lintLibrary(sources, { today, categories, rules: { stale: 'error', 'fenced-commands': 'off' } });
    const messages = reports.flatMap((r) => r.messages);
    expect(messages.find((m) => m.ruleId === 'stale')?.severity).toBe('error');
    expect(messages.some((m) => m.ruleId === 'fenced-commands')).toBe(false);
  });

  it('hold foreign Markdown to the required sections only with strict', () => {
    const foreign = [{ path: 'wiki/page.md', bytes: new TextEncoder().encode('# Page\n\n## Overview\n\ntext\n') }];
    const lenient = lintLibrary(foreign, { today });
    const strict = lintLibrary(foreign, { today, strict: true });
    expect(lenient[0]?.messages.filter((m) => m.severity === 'error')).toEqual([]);
    expect(strict[0]?.messages.filter((m) => m.ruleId === 'required-sections').length).toBeGreaterThan(0);
  });
});
