import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openAgent, screenshot, startHarness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

const OUTLOOK = 'outlook-password-prompt-loop';

async function openOutlookRunbook(options: Parameters<typeof openAgent>[1] = {}) {
  const agent = await openAgent(harness, { tier: 'l1', ...options });
  await agent.page.goto(`${harness.url}/#/runbook/${OUTLOOK}?q=outlook%20keeps%20asking%20for%20my%20password`);
  await agent.page.getByRole('heading', { level: 1, name: 'Outlook keeps asking for the password' }).waitFor();
  return agent;
}

describe('runbook reader', () => {
  it('shows metadata, the escalation box and the fix steps as a checklist', async () => {
    const { context, page } = await openOutlookRunbook();

    expect(await page.locator('.aside-escalate').textContent()).toContain('L2 · Messaging (queue MSG-L2)');
    expect(await page.locator('.meta').textContent()).toContain('messaging-team');
    expect(await page.locator('.related a').allTextContents()).toContain('User account is locked out');
    expect(await page.locator('.section-fix .step').count()).toBe(6);

    await page.getByRole('checkbox', { name: 'Step 1 done' }).check();
    await page.getByRole('checkbox', { name: 'Step 2 done' }).check();
    expect(await page.locator('.checklist-progress').textContent()).toContain('2 of 6 steps done');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Fix' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'section-fix');
    await page.waitForTimeout(400); // let the smooth scroll settle
    await screenshot(page, 'runbook-reader');
    await context.close();
  });

  it('copies a command with one click', async () => {
    const { context, page } = await openOutlookRunbook();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url });

    const block = page.locator('.section-fix .command').first();
    await block.getByRole('button', { name: 'Copy cmd' }).click();

    await block.getByRole('button', { name: 'Copied cmd' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(
      'cmdkey /list | findstr /i "MicrosoftOffice outlook"\ncmdkey /delete:"MicrosoftOffice16_Data:SSPI:jdoe@example.com"',
    );
    await context.close();
  });

  it('opens related runbooks linked from the text inside the app', async () => {
    const { context, page } = await openOutlookRunbook();
    await page.locator('.section-diagnosis').getByRole('link', { name: 'Account lockout' }).click();
    await page.getByRole('heading', { level: 1, name: 'User account is locked out' }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/runbook\/account-lockout/);
    await context.close();
  });

  it('"this fixed it" stores the resolution against the ticket', async () => {
    // Prepare
    const ticketId = `E2E-${Date.now()}`;
    const { context, page } = await openOutlookRunbook();
    await page.getByRole('checkbox', { name: 'Step 2 done' }).check();
    await page.getByLabel('Ticket').fill(ticketId);

    // Act
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'PUT' && r.url().includes('/tickets/web/')),
      page.getByRole('button', { name: /fixed it/ }).click(),
    ]);

    // Assess: the request follows the contract…
    expect(new URL(request.url()).pathname).toBe(`/tickets/web/${ticketId}/resolution`);
    const body = request.postDataJSON() as Record<string, unknown>;
    expect(body).toMatchObject({ runbookId: OUTLOOK, outcome: 'resolved', tier: 'l1', summary: 'outlook keeps asking for my password' });
    expect(body.resolution).toContain('Steps done: 2.');

    // …the agent is told, and the API returns the stored resolution.
    await page.locator('.feedback-status.ok, .feedback-status.error').waitFor();
    expect(await page.locator('.feedback-status').textContent()).toBe(`Resolution recorded on ticket ${ticketId}. Thank you!`);
    const stored = await fetch(`${harness.url}/tickets/web/${ticketId}/resolution`);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ source: 'web', ticketId, runbookId: OUTLOOK, outcome: 'resolved' });
    await context.close();
  });

  it('"didn\'t help" and "flag a problem" send feedback', async () => {
    const { context, page } = await openOutlookRunbook();

    const [notHelpful] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/runbooks/${OUTLOOK}/feedback`)),
      page.getByRole('button', { name: /help/ }).click(),
    ]);
    expect(notHelpful.request().postDataJSON()).toMatchObject({
      kind: 'not-helpful',
      tier: 'l1',
      query: 'outlook keeps asking for my password',
    });
    expect(notHelpful.status()).toBe(201);

    await page.getByRole('button', { name: /Flag/ }).click();
    await page.getByLabel('What is wrong with this runbook?').fill('Step 3 menu is called "Email & accounts" on Windows 11 23H2');
    const [flag] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/runbooks/${OUTLOOK}/feedback`)),
      page.getByRole('button', { name: 'Send flag' }).click(),
    ]);
    expect(flag.request().postDataJSON()).toMatchObject({
      kind: 'flag',
      comment: 'Step 3 menu is called "Email & accounts" on Windows 11 23H2',
    });
    expect(flag.status()).toBe(201);
    await page.waitForFunction(() => document.querySelector('.feedback-status')?.textContent?.includes('Flag sent'));
    await context.close();
  });
});
