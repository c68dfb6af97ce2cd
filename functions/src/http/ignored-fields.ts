import type { Context } from 'hono';

/**
 * Ticket systems send what their templates hold (a Zendesk webhook with the whole ticket, a Jira
 * rule with a field nobody removed), so write-backs ignore fields they do not know instead of
 * refusing the ticket. This header tells the admin which ones, without failing the write.
 */
export const IGNORED_FIELDS_HEADER = 'x-kb-ignored-fields';

export const IGNORED_FIELDS_DOC = {
  [IGNORED_FIELDS_HEADER]: {
    description: 'Comma-separated top-level body fields that were not understood and were ignored; absent when there were none',
    schema: { type: 'string' as const },
  },
};

/** Names the body's top-level fields outside `known` in the header (the body was already parsed by the validator). */
export async function flagIgnoredFields(c: Context, known: readonly string[]): Promise<void> {
  const body: unknown = await c.req.json().catch(() => undefined);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const ignored = Object.keys(body)
    .filter((key) => !known.includes(key))
    // Header values are ASCII: an odd key is shown escaped rather than breaking the response.
    .map((key) => encodeURIComponent(key).slice(0, 64))
    .slice(0, 20);
  if (ignored.length > 0) c.header(IGNORED_FIELDS_HEADER, ignored.join(', '));
}
