import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, type Harness, openAgent, screenshot, seriousA11yViolations, startHarness } from './harness.ts';

// The starter library started as a large one is (by its words first, no vectors cached), with the
// model's work stopped after its first slice: the minutes a team's 10,000 articles take, held still.
let harness: Harness;
const dataDir = mkdtempSync(join(tmpdir(), 'kb-e2e-words-first-'));
beforeAll(async () => {
  harness = await startHarness({ embedBeforeServing: 0, dataDir });
  await harness.server.embedding?.stop();
});
afterAll(async () => {
  await harness?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const NOTICE = /Matching by words only for now/;

describe('a library the model is still reading', () => {
  it('tells the agent that search matches by words only, above the results', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(`${harness.url}/#/search?q=printer%20offline`);
    await page.locator('a.hit').first().waitFor();

    const notice = page.getByRole('note');
    expect(await notice.textContent()).toMatch(NOTICE);
    // Before the results, where the agent reads first.
    expect(await page.locator('.results > *').evaluateAll((nodes) => nodes.findIndex((n) => n.classList.contains('words-only')))).toBe(1);
    await screenshot(page, 'search-words-only');
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    // Back to it after another search, the app asks again (by then the model may be done) where
    // it would show an answer it kept.
    await page.goto(`${harness.url}/#/search?q=vpn`);
    await page.locator('a.hit').first().waitFor();
    const [again] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/search?') && r.url().includes('printer')),
      page.goBack(),
    ]);
    expect(new URL(again.url()).searchParams.get('q')).toBe('printer offline');
    await context.close();
  });

  it('says so above the suggested fixes of a ticket too, readable in the dark theme', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1', theme: 'dark' });
    await page.goto(`${harness.url}/#/suggest`);
    await page.getByLabel('Subject').fill('Outlook keeps asking for my password');
    await page.getByRole('button', { name: 'Suggest fixes' }).click();
    await page.locator('.suggestion').first().waitFor();

    expect(await page.locator('.suggest-results .callout').first().textContent()).toMatch(NOTICE);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await context.close();
  });
});
