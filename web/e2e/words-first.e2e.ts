import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT, l1Runbook } from '../../test/helpers/runbooks.ts';
import { describeViolations, type Harness, openAgent, screenshot, seriousA11yViolations, startHarness } from './harness.ts';

// The starter library and 150 more runbooks, started as a large library is (by its words first,
// no vectors cached), with the model's work stopped as soon as the server answers: the four
// slices of 32 runbooks given to it finish, the rest wait, as a team's 10,000 articles do for a
// minute, held still.
let harness: Harness;
const dataDir = mkdtempSync(join(tmpdir(), 'kb-e2e-words-first-'));
const contentDir = mkdtempSync(join(tmpdir(), 'kb-e2e-words-first-content-'));
beforeAll(async () => {
  cpSync(CONTENT, contentDir, { recursive: true });
  mkdirSync(join(contentDir, 'l1', 'more'));
  for (let i = 0; i < 150; i++) {
    writeFileSync(
      join(contentDir, 'l1', 'more', `log-rotation-${i}.md`),
      l1Runbook(`log-rotation-${i}`, { title: `Log rotation for service ${i}` }),
    );
  }
  harness = await startHarness({ contentDir, embedBeforeServing: 0, dataDir, stopEmbedding: true });
  expect(harness.server.embedding).toBeDefined();
  expect((await (await fetch(`${harness.url}/health`)).json()).withoutVectors).toBeGreaterThan(0);
});
afterAll(async () => {
  await harness?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(contentDir, { recursive: true, force: true });
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
