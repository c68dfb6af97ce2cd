import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openAgent, ROOT, startHarness } from './harness.ts';

/** A copy of the small fixture library, so the test can edit it while kb serve watches. */
let content: string;
let harness: Harness;
beforeAll(async () => {
  content = mkdtempSync(join(tmpdir(), 'kb-live-'));
  cpSync(join(ROOT, 'test', 'fixtures', 'runbooks', 'ok'), content, { recursive: true });
  harness = await startHarness({ contentDir: content, watch: true });
});
afterAll(async () => {
  await harness?.close();
  rmSync(content, { recursive: true, force: true });
});

describe('authoring with kb serve', () => {
  it('shows a saved edit in the open runbook without a reload, keeping the ticked steps', async () => {
    // Prepare: the runbook open, its first step ticked.
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(`${harness.url}/#/runbook/vpn-drops`);
    await page.getByRole('heading', { level: 1, name: 'VPN drops every hour' }).waitFor();
    const firstStep = page.getByRole('checkbox').first();
    await firstStep.check();
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));

    // Act: the author retitles it and saves.
    const file = join(content, 'l1', 'vpn-drops.md');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('VPN drops every hour', 'VPN drops every 60 minutes'));

    // Assess: the new title appears in place; the page was not reloaded and the tick is kept.
    await page.getByRole('heading', { level: 1, name: 'VPN drops every 60 minutes' }).waitFor({ timeout: 10_000 });
    expect(navigations).toEqual([]);
    expect(await firstStep.isChecked()).toBe(true);
    await context.close();
  });
});
