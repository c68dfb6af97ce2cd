import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, type Harness, openAgent, screenshot, seriousA11yViolations, startHarness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

const L3_ONLY = 'ad-replication-failure';

describe('audience: an L1 agent never sees L3-only content', () => {
  it('is in the results of an L3 agent (so the L1 check below means something)', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l3' });
    await page.goto(`${harness.url}/#/search?q=active%20directory%20replication`);
    await page.locator(`a.hit[data-id="${L3_ONLY}"]`).waitFor();
    await context.close();
  });

  it('is absent from L1 search, reader, related links and suggestions, and every request says so', async () => {
    // Prepare: record what the page asks the API.
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    const requests: { url: string; body: string | null }[] = [];
    page.on('request', (r) => {
      if (!r.url().includes('/assets/') && r.resourceType() === 'fetch') requests.push({ url: r.url(), body: r.postData() });
    });

    // Act + Assess: search.
    await page.goto(`${harness.url}/#/search?q=active%20directory%20replication`);
    await page.waitForFunction(() => /runbooks? for/.test(document.querySelector('.result-count')?.textContent ?? ''));
    expect(await page.locator(`a.hit[data-id="${L3_ONLY}"]`).count()).toBe(0);
    expect(new Set(await page.locator('a.hit .badge.tier').allTextContents())).toEqual(new Set(['L1']));
    expect(await page.locator('fieldset.facet').first().textContent()).not.toMatch(/L3|L2|Infra/);

    // The reader refuses the runbook even by direct link.
    await page.goto(`${harness.url}/#/runbook/${L3_ONLY}`);
    await page.getByRole('heading', { level: 1, name: 'Runbook not available' }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('repadmin');

    // Suggestions stay at L1 and recommend escalating instead.
    await page.goto(`${harness.url}/#/suggest`);
    await page.getByLabel('Subject').fill('AD replication failing between DCs');
    await page.getByRole('button', { name: 'Suggest fixes' }).click();
    await page.locator('.callout').first().waitFor();
    expect(new Set(await page.locator('.suggestion .badge.tier').allTextContents())).toEqual(new Set(['L1']));

    const apiCalls = requests.filter((r) => /\/(search|runbooks|suggest)\b/.test(new URL(r.url).pathname));
    expect(apiCalls.length).toBeGreaterThan(2);
    for (const call of apiCalls) {
      if (call.body) expect(JSON.parse(call.body)).toMatchObject({ requesterTier: 'l1' });
      else expect(new URL(call.url).searchParams.get('audience')).toBe('l1');
    }
    await context.close();
  });
});

describe('keyboard only', () => {
  it('searches, moves through results, opens one, copies a command and comes back without a mouse', async () => {
    const { context, page } = await openAgent(harness, { tier: null });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url });
    await page.goto(harness.url);
    await page.getByRole('button', { name: /L1/ }).waitFor();

    // Tier picker: L1 has focus; Enter chooses it and lands in the search box.
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
    // A query whose first results all have commands to copy (the library has Outlook runbooks without any).
    await page.keyboard.type('vpn');
    await page.locator('a.hit').nth(1).waitFor();

    // Arrows move through the results; Enter opens the focused one.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    expect(second).toBeTruthy();
    await page.keyboard.press('Enter');
    await page.locator('.runbook-head h1').waitFor();
    expect(new URL(page.url()).hash).toContain(`#/runbook/${second}`);
    // It opens at the section that answered the search, with focus on that section's heading.
    const section = new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('section');
    expect(section).toBeTruthy();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    expect(await page.evaluate(() => document.activeElement?.id)).toContain(section);

    // Tab reaches the first copy button; Enter copies.
    let onCopy = false;
    for (let i = 0; i < 60 && !onCopy; i++) {
      await page.keyboard.press('Tab');
      onCopy = await page.evaluate(() => document.activeElement?.classList.contains('copy') ?? false);
    }
    expect(onCopy).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.textContent?.startsWith('Copied'));

    // Esc goes back to the results with focus on the runbook just read; / returns to the box.
    await page.keyboard.press('Escape');
    await page.locator('a.hit').first().waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(second);
    expect(await page.locator('#search-input').inputValue()).toBe('vpn');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');

    // Typing in the results goes to the search box.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.type(' pass');
    expect(await page.locator('#search-input').inputValue()).toBe('vpn pass');
    await context.close();
  });
});

describe('accessibility and themes', () => {
  const screens = [
    { name: 'tier picker', hash: '#/', tier: null },
    { name: 'search results', hash: '#/search?q=vpn%20not%20connecting', tier: 'l1' },
    { name: 'zero results', hash: '#/search?q=zzqxv', tier: 'l1' },
    { name: 'runbook', hash: '#/runbook/outlook-password-prompt-loop', tier: 'l1' },
    { name: 'runbook with rollback', hash: '#/runbook/server-patching-failed-rollback', tier: 'l3' },
    { name: 'suggest', hash: '#/suggest', tier: 'l1' },
  ] as const;

  for (const theme of ['light', 'dark'] as const) {
    for (const screen of screens) {
      it(`${screen.name} (${theme}) has no serious or critical axe violations`, async () => {
        const { context, page } = await openAgent(harness, { tier: screen.tier, theme, colorScheme: theme });
        await page.goto(`${harness.url}/${screen.hash}`);
        await page.locator('h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        if (screen.name === 'suggest') {
          await page.getByLabel('Subject').fill('Outlook keeps asking for my password');
          await page.getByRole('button', { name: 'Suggest fixes' }).click();
          await page.locator('.suggestion').first().waitFor();
        }
        const violations = await seriousA11yViolations(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        await context.close();
      });
    }
  }

  it('follows the system dark preference and the toggle, and remembers the toggle', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1', colorScheme: 'dark' });
    await page.goto(`${harness.url}/#/runbook/outlook-password-prompt-loop`);
    await page.locator('.runbook-head h1').waitFor();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await background();
    await screenshot(page, 'dark-theme');

    const toggle = page.getByRole('button', { name: 'Dark theme' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await background()).not.toBe(dark);
    await page.reload();
    await page.locator('.runbook-head h1').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await context.close();
  });

  it('works as a 360 px side panel', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1', viewport: { width: 360, height: 760 } });
    await page.goto(`${harness.url}/#/search?q=outlook%20password`);
    await page.locator('a.hit').first().waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    expect(await page.locator('.facets').isVisible()).toBe(false);
    await page.getByRole('button', { name: /Filters/ }).click();
    expect(await page.locator('.facets').isVisible()).toBe(true);
    await page.getByRole('button', { name: /Filters/ }).click();
    await screenshot(page, 'narrow-search');

    await page.locator('a.hit').first().click();
    await page.locator('.runbook-head h1').waitFor();
    expect(await overflow()).toBe(0);
    expect(await page.getByRole('button', { name: /fixed it/i }).isVisible()).toBe(true);
    await screenshot(page, 'narrow-runbook');
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await context.close();
  });
});
