import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuggestAnswer } from '../../functions/src/contracts/api.ts';
import { type Harness, openAgent, startHarness } from './harness.ts';

/**
 * An agent working one ticket after another: the ticket id never follows them to the next
 * ticket, the note goes to the ticket in one click, a runbook opens where the answer is, and a
 * flag reaches the team that owns the runbook.
 */

interface Received {
  path: string;
  body: { text: string; runbookFlag: { runbookId: string; team: string; comment?: string; ticketId?: string } };
}

let harness: Harness;
let receiver: Server;
const received: Received[] = [];
const waiting: ((r: Received) => void)[] = [];
const savedWebhooks = process.env.KB_FLAG_WEBHOOKS;

beforeAll(async () => {
  // A team's incoming webhook (Teams, Slack), played by a server on this machine.
  receiver = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      const r = { path: req.url ?? '', body: JSON.parse(data) as Received['body'] };
      received.push(r);
      for (const resolve of waiting.splice(0)) resolve(r);
      res.writeHead(200).end('ok');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const { port } = receiver.address() as AddressInfo;
  process.env.KB_FLAG_WEBHOOKS = JSON.stringify({ 'messaging-team': `http://127.0.0.1:${port}/hooks/messaging` });
  harness = await startHarness();
});
afterAll(async () => {
  if (savedWebhooks === undefined) delete process.env.KB_FLAG_WEBHOOKS;
  else process.env.KB_FLAG_WEBHOOKS = savedWebhooks;
  await harness?.close();
  receiver?.close();
});

const nextWebhook = (timeoutMs = 10_000) =>
  new Promise<Received>((resolve, reject) => {
    waiting.push(resolve);
    setTimeout(() => reject(new Error('no webhook call arrived')), timeoutMs);
  });

describe('working one ticket after another', () => {
  it('a new subject on Suggest clears the previous ticket id, so "This fixed it" cannot go to the wrong ticket', async () => {
    // Prepare: the first ticket, asked about with its id.
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(`${harness.url}/#/suggest`);
    await page.getByLabel('Subject').fill('Outlook keeps asking for my password');
    await page.getByLabel(/Ticket id/).fill('HD-1001');
    await page.getByRole('button', { name: 'Suggest fixes' }).click();
    await page.locator('.suggestion').first().waitFor();
    expect(await page.getByLabel(/Ticket id/).inputValue()).toBe('HD-1001');

    // Act: the next ticket's subject.
    await page.getByLabel('Subject').fill('VPN wont connect from home');

    // Assess: the field is empty at once, and stays empty on the runbook the new answer opens.
    expect(await page.getByLabel(/Ticket id/).inputValue()).toBe('');
    await page.getByRole('button', { name: 'Suggest fixes' }).click();
    await page.waitForFunction(() => document.querySelector('.suggestion h3')?.textContent?.includes('VPN'));
    await page.locator('.suggestion h3 a').first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByLabel('Ticket').inputValue()).toBe('');
    await context.close();
  });

  it('a new search clears the ticket id typed on the previous runbook; hits open at the section that answers', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(`${harness.url}/#/search?q=${encodeURIComponent('outlook keeps asking for my password')}`);
    const hit = page.locator('a.hit').first();
    await hit.waitFor();
    const anchor = await page.evaluate(async () => {
      const response = await fetch('/search?q=outlook+keeps+asking+for+my+password&audience=l1');
      return ((await response.json()) as { hits: { section: { anchor: string } }[] }).hits[0]?.section.anchor;
    });
    await hit.click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toContain(`section=${anchor}`);
    await page.getByLabel('Ticket').fill('HD-2002');

    // Act: back to search, a different user's problem.
    await page.goBack();
    await page.locator('#search-input').fill('printer shows offline');
    await page.waitForFunction(() => document.querySelector('.result-count')?.textContent?.includes('printer shows offline'));
    await page.locator('a.hit').first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();

    // Assess
    expect(await page.getByLabel('Ticket').inputValue()).toBe('');
    await context.close();
  });

  it('"Copy note to ticket" copies the note the API wrote for this ticket', async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url });
    await page.goto(`${harness.url}/#/suggest`);
    await page.getByLabel('Subject').fill('Outlook keeps asking for my password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/suggest')),
      page.getByRole('button', { name: 'Suggest fixes' }).click(),
    ]);
    const { note } = (await response.json()) as SuggestAnswer;

    await page.getByRole('button', { name: 'Copy note to ticket' }).click();

    await page.getByRole('button', { name: 'Note copied ✓' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(note.text);
    expect(copied).toContain('Top fix: Outlook keeps asking for the password');
    expect(copied).toContain(`${harness.url}/#/runbook/outlook-password-prompt-loop?section=`);
    await context.close();
  });

  it("a flag reaches the owning team's webhook with the runbook, the comment and the ticket", async () => {
    const { context, page } = await openAgent(harness, { tier: 'l1' });
    await page.goto(`${harness.url}/#/runbook/outlook-password-prompt-loop?q=outlook+password`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByLabel('Ticket').fill('HD-3003');
    await page.getByRole('button', { name: /Flag/ }).click();
    await page.getByLabel('What is wrong with this runbook?').fill('Step 3 names a menu Outlook no longer has');

    const arrived = nextWebhook();
    await page.getByRole('button', { name: 'Send flag' }).click();

    const call = await arrived;
    expect(call.path).toBe('/hooks/messaging');
    expect(call.body.text).toContain('Outlook keeps asking for the password');
    expect(call.body.text).toContain('Step 3 names a menu Outlook no longer has');
    expect(call.body.runbookFlag).toMatchObject({ runbookId: 'outlook-password-prompt-loop', team: 'messaging-team', ticketId: 'HD-3003' });
    await page.waitForFunction(() => document.querySelector('.feedback-status')?.textContent?.includes('Flag sent to messaging-team'));
    await context.close();
  });
});
