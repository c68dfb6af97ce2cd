import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintLibrary } from '../../functions/src/core/lint/lint.ts';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import { runbookTemplate } from '../../functions/src/core/runbook/template.ts';
import { FIXTURES, l1Runbook, source, sourcesIn } from '../helpers/runbooks.ts';

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

  it('give every message a hint on how to fix it', () => {
    const messages = lintLibrary(sourcesIn(join(FIXTURES, 'not-ok')), { today, categories }).flatMap((r) => r.messages);
    expect(messages.filter((m) => !m.hint)).toEqual([]);
    const missing = messages.find((m) => m.reason.startsWith('Missing section `## Verify`'));
    expect(missing?.hint).toMatch(/^Add `## Verify`: how the agent and the user confirm/);
  });

  it('report a missing section inside the file, at the end of its last line', () => {
    const text = readFileSync(join(FIXTURES, 'not-ok', 'l3', 'missing-sections.md'), 'utf8');
    const lines = text.trimEnd().split('\n');
    const [report] = lintLibrary([source('l3/missing-sections.md', text)], { today });
    const missing = report?.messages.filter((m) => m.ruleId === 'required-sections') ?? [];
    expect(missing).toHaveLength(4);
    for (const m of missing) expect([m.line, m.column]).toEqual([lines.length, (lines.at(-1)?.length ?? 0) + 1]);
  });

  it('fail an unfilled scaffold from kb new on its placeholders, and pass it once filled in', () => {
    const scaffold = runbookTemplate('l2', 'Printer spooler crashes', today);
    const [unfilled] = lintLibrary([source('l2/printer-spooler-crashes.md', scaffold)], { today });
    const reasons = unfilled?.messages.filter((m) => m.ruleId === 'placeholders' && m.severity === 'error').map((m) => m.reason) ?? [];
    expect(reasons).toEqual(
      expect.arrayContaining([
        'Unexpected placeholder `category: CHOOSE-FROM-taxonomy.yaml`, expected a real value',
        'Unexpected placeholder `owner: your-team`, expected a real value',
        expect.stringMatching(/^Unexpected template text in `## Fix`/),
        expect.stringMatching(/^Unexpected template text in `## Verify`/),
      ]),
    );

    const filled = scaffold
      .replace('CHOOSE-FROM-taxonomy.yaml', 'network')
      .replace('what the user says', 'printing does nothing')
      .replace('your-team', 'desk')
      .split('\n## ')
      .map((section, n) => (n === 0 ? section : `${section.split('\n')[0]}\n\n1. Written by the author.\n`))
      .join('\n## ');
    const [done] = lintLibrary([source('l2/printer-spooler-crashes.md', filled)], { today, categories });
    expect(done?.messages).toEqual([]);
  });

  it('flag TODO markers and placeholder values only in runbooks, not in foreign Markdown', () => {
    const runbook = l1Runbook('todo', { extra: 'tags: [TBD]' }).replace('Restart it.', 'Restart it (TBD which service).');
    const [native] = lintLibrary([source('l1/todo.md', runbook)], { today });
    expect(native?.messages.map((m) => `${m.line}:${m.column} ${m.reason}`)).toEqual([
      '9:1 Unexpected placeholder `tags: TBD`, expected a real value',
      '20:16 Unexpected `TBD` in `## Fix`, expected finished text',
    ]);
    const todoApp = l1Runbook('todo-app', { title: 'Todo list does not sync', extra: 'tags: [todo]' });
    expect(lintLibrary([source('l1/todo-app.md', todoApp)], { today })[0]?.messages).toEqual([]);
    const wiki = '# Page\n\n## Overview\n\nTODO: write this page.\n';
    expect(lintLibrary([source('wiki/page.md', wiki)], { today })[0]?.messages.filter((m) => m.ruleId === 'placeholders')).toEqual([]);
  });

  it('check fenced commands in the fix section the compiler shows, sub-headings included', () => {
    // `### Verify the address first` is inside `## Fix` for the compiler (sections split at the
    // shallowest heading), so its steps are fix steps on screen and lint checks them too.
    const body =
      '## Symptoms\n\nNo network.\n\n## Fix\n\n### Verify the address first\n\n1. Run `ipconfig /all` and read it.\n\n## Verify\n\nPages load.\n\n## Escalation\n\nTo L2.';
    const file = source('l1/split.md', l1Runbook('split', { body }));
    const compiled = compileRunbook(file);
    expect(compiled.ok && compiled.runbook.steps.map((s) => s.text)).toEqual(['Run ipconfig /all and read it.']);
    const [report] = lintLibrary([file], { today });
    expect(report?.messages.map((m) => m.ruleId)).toEqual(['fenced-commands']);
  });
});
