import * as z from 'zod';
import { parseJsonSetting } from '../contracts/json-setting.ts';

/**
 * Tells a runbook's owner that an agent flagged it: a flag that only shows up in `kb gaps` is a
 * flag nobody reads. Each owning team (the runbook's `owner`) may have an incoming webhook, a
 * Teams or Slack channel URL; `*` catches teams without their own. Without one the flag is logged.
 */

export interface FlagNotice {
  runbookId: string;
  title: string;
  /** The runbook's `owner` frontmatter: the team to tell. */
  owner?: string | undefined;
  comment?: string | undefined;
  ticketId?: string | undefined;
  query?: string | undefined;
  tier?: string | undefined;
  at: string;
}

export type NotifyFlag = (notice: FlagNotice) => Promise<void>;

/** Team → incoming-webhook URL, as `KB_FLAG_WEBHOOKS` holds it: `{"identity-team": "https://…", "*": "https://…"}`. */
const FlagWebhooks = z.record(z.string().min(1).max(100), z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }));
export type FlagWebhooks = z.infer<typeof FlagWebhooks>;

/** Reads `KB_FLAG_WEBHOOKS`; a malformed value stops the start, naming the bad entry, rather than losing flags later. */
export function parseFlagWebhooks(json: string | undefined): FlagWebhooks {
  return json?.trim() ? parseJsonSetting('KB_FLAG_WEBHOOKS', FlagWebhooks, json) : {};
}

export interface FlagNotifierOptions {
  webhooks: FlagWebhooks;
  /** The agents' web app, for a link to the runbook (`KB_WEB_URL`); no link without it. */
  webUrl?: string | undefined;
  log: (line: string) => void;
  post?: typeof fetch;
  /** A slow channel must not pile up requests: each post gives up after this long. */
  timeoutMs?: number;
}

const DEFAULTS = { post: (...args: Parameters<typeof fetch>) => fetch(...args), timeoutMs: 5_000 };

/** The message as a person reads it in the channel. */
export function flagText(notice: FlagNotice, webUrl?: string): string {
  const link = webUrl ? ` ${webUrl.replace(/\/+$/, '')}/#/runbook/${encodeURIComponent(notice.runbookId)}` : '';
  const context = [notice.ticketId ? `ticket ${notice.ticketId}` : '', notice.query ? `working on “${notice.query}”` : '']
    .filter(Boolean)
    .join(', ');
  return [
    `⚑ Runbook flagged: ${notice.title} (${notice.runbookId})${link}`,
    notice.comment ? `“${notice.comment}”` : '',
    context ? `An ${notice.tier ?? ''} agent, ${context}.`.replace('An  agent', 'An agent') : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Posts each flag to its owner's webhook as `{ text, runbookFlag }`: `text` is what Slack and
 * Teams incoming webhooks show; `runbookFlag` carries the fields for other receivers. Failures are
 * logged and swallowed: the flag is already stored and on the gap report.
 */
export function flagNotifier(options: FlagNotifierOptions): NotifyFlag {
  const { webhooks, webUrl, log, post, timeoutMs } = { ...DEFAULTS, ...options };
  return async (notice) => {
    const team = notice.owner ?? '(no owner)';
    const url = (notice.owner ? webhooks[notice.owner] : undefined) ?? webhooks['*'];
    const text = flagText(notice, webUrl);
    if (!url) {
      log(`flag for ${team} (no webhook configured in KB_FLAG_WEBHOOKS): ${text.replace(/\n/g, ' | ')}`);
      return;
    }
    try {
      const response = await post(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, runbookFlag: { ...notice, team } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) log(`flag for ${team}: webhook answered ${response.status}; the flag is stored and on the gap report`);
    } catch (error) {
      log(`flag for ${team}: webhook failed (${(error as Error).message}); the flag is stored and on the gap report`);
    }
  };
}
