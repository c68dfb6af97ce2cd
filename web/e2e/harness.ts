import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { type LocalServer, startLocalServer } from '../../functions/src/local/server.ts';

/**
 * The browser suite's fixtures: the real platform in-process (embedded engine, HTTP API, the built
 * web app from web/dist) and Debian's Chromium driven by playwright-core. Playwright's own
 * browser download is not used: CI installs `chromium` with apt.
 */

export const ROOT = new URL('../../', import.meta.url).pathname;
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const CHROMIUM = process.env.KB_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export type AgentTier = 'l1' | 'l2' | 'l3' | 'infra';

export interface Harness {
  server: LocalServer;
  browser: Browser;
  url: string;
  close(): Promise<void>;
}

/**
 * The starter content, not watched, by default; a suite that edits runbooks passes its own copy
 * and `watch`, one that starts as a large library does (by words first) its `embedBeforeServing`
 * and a `dataDir` with no vectors yet, and `stopEmbedding` to hold that state: the model's
 * background work is stopped as soon as the server answers (the slices already given finish).
 */
export async function startHarness(
  options: { contentDir?: string; watch?: boolean; embedBeforeServing?: number; dataDir?: string; stopEmbedding?: boolean } = {},
): Promise<Harness> {
  const { contentDir = join(ROOT, 'content'), watch = false, stopEmbedding = false, ...rest } = options;
  const server = await startLocalServer({ contentDir, port: 0, webDir: join(ROOT, 'web', 'dist'), watch, ...rest });
  if (stopEmbedding) await server.embedding?.stop();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    server,
    browser,
    url: server.url,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export interface AgentOptions extends BrowserContextOptions {
  /** The tier already chosen (as on a second visit); null shows the first-visit tier picker. */
  tier?: AgentTier | null;
  theme?: 'light' | 'dark';
}

/** A fresh browser profile for one agent, with the tier (and theme) already remembered. */
export async function openAgent(harness: Harness, options: AgentOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const { tier = 'l1', theme, ...contextOptions } = options;
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 860 }, ...contextOptions });
  await context.addInitScript(
    ({ tier, theme }) => {
      if (sessionStorage.getItem('e2e-seeded')) return;
      sessionStorage.setItem('e2e-seeded', '1');
      if (tier) localStorage.setItem('kb.tier', tier);
      if (theme) localStorage.setItem('kb.theme', theme);
    },
    { tier, theme },
  );
  const page = await context.newPage();
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core in the page; returns the serious and critical violations (WCAG 2.x A/AA and best practice). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the app's Content-Security-Policy refuses inline
  // scripts (addScriptTag), and the suite runs under the real policy on purpose.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(axeSource, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Readable failure output: rule, help text and the first offending elements. */
export const describeViolations = (violations: AxeViolation[]): string =>
  violations
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join('\n  ')}`,
    )
    .join('\n');
