import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openAgent, screenshot, startHarness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

const TICKET = [
  'Outlook keeps asking for my password',
  '',
  'Hi, since this morning Outlook pops up a credentials prompt every few minutes.',
  'Web mail works fine. I changed my password yesterday.',
].join('\n');

describe('suggest from a ticket', () => {
  it('turns a pasted ticket into ranked fixes with confidence, reasons and escalation advice', async () => {
    // Prepare
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url });
    await page.goto(`${harness.url}/#/suggest`);
    await page.getByRole('heading', { level: 1, name: 'Suggest from a ticket' }).waitFor();

    // Act: paste the whole ticket into the subject; the first line becomes the subject.
    await page.evaluate((text) => navigator.clipboard.writeText(text), TICKET);
    await page.getByLabel('Subject').focus();
    await page.keyboard.press('Control+V');
    expect(await page.getByLabel('Subject').inputValue()).toBe('Outlook keeps asking for my password');
    expect(await page.getByLabel(/Description/).inputValue()).toContain('Web mail works fine.');
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/suggest')),
      page.keyboard.press('Control+Enter'),
    ]);

    // Assess
    expect(request.postDataJSON()).toMatchObject({ subject: 'Outlook keeps asking for my password', requesterTier: 'l1' });
    const first = page.locator('.suggestion').first();
    await first.waitFor();
    expect(await first.locator('h3').textContent()).toBe('Outlook keeps asking for the password');
    expect(await first.locator('.confidence').textContent()).toMatch(/\d+% confidence · high/);
    expect(await first.locator('.why').textContent()).toContain('outlook in title');
    expect(await first.locator('.fix-preview li').count()).toBeGreaterThan(0);
    expect(await page.locator('.callout').first().textContent()).toContain('No need to escalate yet');
    await page.getByRole('heading', { name: 'Similar past tickets' }).waitFor();
    await page.waitForTimeout(500); // the results scroll into view
    await screenshot(page, 'suggest');

    // The suggestion opens the runbook at its fix.
    await first.locator('h3 a').click();
    await page.getByRole('heading', { level: 1, name: 'Outlook keeps asking for the password' }).waitFor();
    expect(new URL(page.url()).hash).toContain('section=fix');
    await context.close();
  });

  it('recommends escalating when only a higher tier has the fix', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(`${harness.url}/#/suggest`);
    await page.getByLabel('Subject').fill('Active Directory replication failing between domain controllers');
    await page.getByLabel(/Description/).fill('repadmin /replsummary shows error 8453 replication access was denied on DC02');
    await page.getByRole('button', { name: 'Suggest fixes' }).click();
    await page.locator('.callout.escalate').waitFor();
    // The queue to assign, the tier, and the runbook L3 should open.
    expect(await page.locator('.callout.escalate h2').textContent()).toMatch(
      /^Escalate to .+ \(L3\): open Active Directory replication is failing between domain controllers$/,
    );
    await context.close();
  });

  it('escalates a whole-floor outage past a Wi-Fi fix: the queue, the tier and the runbook that tier should open', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(`${harness.url}/#/suggest`);
    await page.getByLabel('Subject').fill('Whole 2nd floor has no network, laptops get 169.254');
    await page.getByRole('button', { name: 'Suggest fixes' }).click();
    await page.locator('.callout.escalate').waitFor();
    expect(await page.locator('.callout.escalate h2').textContent()).toBe(
      'Escalate to Windows Infrastructure (queue WIN-L3) (L3): open DHCP scope exhausted or DHCP failover broken',
    );
    expect(await page.locator('.callout.escalate p').textContent()).toContain('“whole 2nd floor”');
    await screenshot(page, 'suggest-outage-escalation');
    await context.close();
  });
});
