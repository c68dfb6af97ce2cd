import * as z from 'zod';
import { SCOPES } from '../core/access/scopes.ts';
import { TIERS } from '../core/runbook/model.ts';
import { parseJsonSetting } from './json-setting.ts';

/**
 * An API client (a ticket system, an operator's tool) as configured: `KB_API_CLIENTS` on AWS (key
 * ids from API Gateway), the stored keys of `kb keys` locally.
 */
export const ApiClient = z
  .object({
    /** The API Gateway API key id (not its value); absent for locally stored keys. */
    keyId: z.string().min(1).optional(),
    name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a lowercase name such as jira, servicenow or zendesk'),
    scopes: z.array(z.enum(SCOPES)).min(1),
    /** `{source}`s it may write resolutions under; its name when absent. */
    sources: z.array(z.string().min(1)).optional(),
    /** The widest tier its readers may see (a ticket system asks for its queue's tier within it). */
    tier: z.enum(TIERS).default('l1'),
  })
  .strict();
export type ApiClient = z.infer<typeof ApiClient>;

const ApiClients = z.array(ApiClient.extend({ keyId: z.string().min(1) }));

/** Reads `KB_API_CLIENTS`; a malformed value fails the cold start, naming the bad entry and field. */
export function parseClients(json: string): z.infer<typeof ApiClients> {
  return parseJsonSetting('KB_API_CLIENTS', ApiClients, json);
}
