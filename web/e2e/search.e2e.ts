import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openAgent, screenshot, startHarness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

const hitIds = (page: Page) => page.locator('a.hit').evaluateAll((links) => links.map((a) => a.getAttribute('data-id')));
const hitTiers = (page: Page) => page.locator('a.hit .badge.tier').allTextContents();
const resultCount = (page: Page) => page.locator('.result-count').textContent();

describe('search', () => {
  it('takes a new agent to the Outlook password fix in a few keystrokes', async () => {
    // Prepare: a first visit, nothing remembered.
    const { context, page } = await openAgent(harness, { tier: null });
    await page.goto(harness.url);
    await page.getByRole('heading', { name: 'Which tier do you work at?' }).waitFor();

    // Act: Enter picks L1 (focused), then the symptom in the user's words, then Enter.
    const keys = 'outlook pass';
    await page.keyboard.press('Enter');
    // The search box takes focus once the tier is chosen (a person starts typing after seeing it).
    await page.waitForFunction(() => document.activeElement?.id === 'search-input');
    await page.keyboard.type(keys);
    await page.keyboard.press('Enter');

    // Assess: the runbook is open after 1 + 12 + 1 keystrokes.
    await page.getByRole('heading', { level: 1, name: 'Outlook keeps asking for the password' }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/runbook\/outlook-password-prompt-loop/);
    expect(await page.evaluate(() => localStorage.getItem('kb.tier'))).toBe('l1');
    await context.close();
  });

  it('shows highlighted results as the agent types, with facet counts', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(harness.url);
    await page.locator('#search-input').pressSequentially('outlook keeps asking for my password', { delay: 20 });

    await page.locator('a.hit').first().waitFor();
    await page.waitForFunction(() =>
      document.querySelector('.result-count')?.textContent?.includes('for “outlook keeps asking for my password”'),
    );
    expect((await hitIds(page))[0]).toBe('outlook-password-prompt-loop');
    expect(await page.locator('a.hit').first().locator('mark').count()).toBeGreaterThan(0);
    expect(await page.locator('fieldset.facet legend').allTextContents()).toEqual(['Tier', 'Category', 'State']);
    expect(await resultCount(page)).toMatch(/^\d+ runbooks? for/);
    // The model had the library before the server answered: nothing says "words only".
    expect(await page.locator('.words-only').count()).toBe(0);
    await screenshot(page, 'search-results');
    await context.close();
  });

  it('grades each hit and keeps weak matches behind a "show weaker matches" button', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(`${harness.url}/#/search?q=${encodeURIComponent('outlook keeps asking for my password')}`);
    const weaker = page.getByRole('button', { name: /^Show weaker matches \(\d+ weak match/ });
    await weaker.waitFor();

    // Only strong and partial matches at first: not most of the L1 library.
    const strengths = () => page.locator('a.hit .strength').allTextContents();
    const first = await strengths();
    expect(first[0]).toBe('Strong match');
    expect(first.length).toBeLessThanOrEqual(6);
    expect(first).not.toContain('Weak match');
    expect(await resultCount(page)).toBe(`${first.length} runbooks for “outlook keeps asking for my password”`);

    // Act: ask for the weaker ones.
    await weaker.click();
    await page.waitForFunction((n) => document.querySelectorAll('a.hit').length > n, first.length);

    // Assess: they follow, marked weak, and the button is gone.
    const all = await strengths();
    expect(all.slice(0, first.length)).toEqual(first);
    expect(all.slice(first.length).every((s) => s === 'Weak match')).toBe(true);
    expect(await weaker.count()).toBe(0);
    await screenshot(page, 'search-weaker-matches');
    await context.close();
  });

  it('filters by tier and keeps the other tiers choosable', async () => {
    // Prepare: an L2 agent sees L1 and L2 runbooks.
    const { context, page } = await openAgent(harness, { tier: 'l2' });
    await page.goto(`${harness.url}/#/search?q=laptop%20slow`);
    await page.locator('a.hit').first().waitFor();
    expect(new Set(await hitTiers(page))).toEqual(new Set(['L1', 'L2']));

    // Act
    await page.getByRole('checkbox', { name: /L2 · Support engineer/ }).check();
    await page.waitForFunction(() => [...document.querySelectorAll('a.hit .badge.tier')].every((b) => b.textContent === 'L2'));

    // Assess: only L2 hits, the filter is in the URL, and L1 still shows its count.
    expect(new Set(await hitTiers(page))).toEqual(new Set(['L2']));
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain('tier=l2');
    const l1 = page.locator('label[for="facet-tier-l1"] .count');
    expect(Number(await l1.textContent())).toBeGreaterThan(0);
    expect(await resultCount(page)).toContain('(1 filter)');
    await context.close();
  });

  it('says so when nothing matches, and that the search was recorded as a gap', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(harness.url);
    await page.locator('#search-input').fill('zzqxv');
    await page.getByRole('heading', { name: 'No runbook matches “zzqxv”' }).waitFor();
    expect(await page.locator('.no-results').textContent()).toContain('recorded as a gap');
    expect(await resultCount(page)).toBe('0 runbooks for “zzqxv”');
    await screenshot(page, 'zero-results');
    await context.close();
  });
});
