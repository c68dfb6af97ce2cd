import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kb } from '../helpers/cli.ts';

describe('kb command line', () => {
  it('kb lint prints path:line:col severity message rule-id and exits 1 on errors', () => {
    const { status, stdout } = kb('lint', 'test/fixtures/runbooks/not-ok');
    expect(status).toBe(1);
    expect(stdout).toContain(
      'test/fixtures/runbooks/not-ok/l1/dead-link.md:20:43 error Unexpected link to `../l2/nope.md`: no runbook at `l2/nope.md` internal-links',
    );
  });

  it('kb lint --format json gives machine-readable messages', () => {
    const { status, stdout } = kb('lint', 'test/fixtures/runbooks/not-ok/l1/stale-and-inline.md', '--format', 'json');
    const report = JSON.parse(stdout);
    expect(status).toBe(0);
    expect(report.warnings).toBe(2);
    expect(report.files[0].messages.map((m: { ruleId: string }) => m.ruleId)).toEqual(['stale', 'fenced-commands']);
  });

  it('kb lint of a single file still checks links against its whole library', () => {
    const { status, stdout } = kb('lint', 'test/fixtures/runbooks/ok/l1/vpn-drops.md');
    expect(stdout).toBe('');
    expect(status).toBe(0);
  });

  it('kb build writes a bundle and reports skipped files with a non-zero exit', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kb-build-')), 'bundle.json');
    const { status, stdout, stderr } = kb('build', '--content', 'test/fixtures/runbooks/not-ok', '--out', out);
    expect(stdout).toMatch(/Compiled 6 of 7 files/);
    expect(stderr).toMatch(/duplicate-b\.md:1:1 error Duplicate id `same-id`.*\(skipped\)/);
    expect(status).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).runbooks).toHaveLength(6);
  });

  it('kb new scaffolds a runbook that lints once its category is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-new-'));
    const { status, stdout } = kb('new', '--tier', 'l2', '--content', dir, 'Printer spooler crashes');
    expect(status).toBe(0);
    expect(stdout).toContain('l2/printer-spooler-crashes.md');
    const text = readFileSync(join(dir, 'l2', 'printer-spooler-crashes.md'), 'utf8');
    expect(text).toMatch(/^## Cause$/m);
    expect(kb('lint', dir).status).toBe(0);
  });

  it('an unknown flag is one clear line, not a stack trace', () => {
    const { status, stderr } = kb('lint', '--bogus');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^kb: Unknown option '--bogus'/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
