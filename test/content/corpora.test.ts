import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { loadLibrary } from '../../functions/src/app/load-library.ts';
import { kb } from '../helpers/cli.ts';
import { SHARED } from '../helpers/runbooks.ts';

const OFFICE = join(SHARED, 'corpora/office-support');
const ALERTS = join(SHARED, 'eval/alerts/corpus');

// Foreign Markdown must compile as it is: these are real docs nobody wrote for runbook-kb.
describe.skipIf(!existsSync(OFFICE))('foreign Markdown corpora', () => {
  it('kb build compiles all 2,448 office-support articles with zero fatal errors and prints the summary', () => {
    const { status, stdout } = kb('build', '--content', OFFICE, '--out', join(SHARED, '..', 'main', '.kb', 'test-office-bundle.json'));
    expect(stdout).toMatch(/Compiled 2449 of 2449 files/);
    expect(stdout).toMatch(/skipped: 0/);
    expect(stdout).toMatch(/by tier: l2 2449/);
    expect(status).toBe(0);
  }, 180_000);

  it('the alert runbooks compile with zero fatal errors, sections recognised by their usual names', async () => {
    const library = await loadLibrary(new FsContentSource(ALERTS));
    expect(library.failures).toEqual([]);
    expect(library.runbooks.length).toBeGreaterThan(790);
    const crash = library.runbooks.find((r) => r.path.endsWith('kubernetes/KubePodCrashLooping.md'));
    expect(crash?.sections.map((s) => s.kind)).toEqual(expect.arrayContaining(['symptoms', 'diagnosis', 'fix']));
  }, 120_000);
});
