import type { Resolution } from '../../functions/src/contracts/api.ts';
import { agentIdentity, localDeveloper } from '../../functions/src/core/access/identities.ts';
import { type AppDeps, createApp } from '../../functions/src/http/app.ts';
import { startEmbeddedSearch } from '../../functions/src/local/embedded-platform.ts';
import { startLocalWriteBack } from '../../functions/src/local/write-back-platform.ts';
import { CONTENT } from './runbooks.ts';

/** The whole API (search, suggest and write-back) over the starter library, on in-memory dynalite. */
export async function writeBackApp(extra: Pick<AppDeps, 'webUrl'> = {}) {
  const writeBack = await startLocalWriteBack(undefined);
  const platform = await startEmbeddedSearch(CONTENT, { learning: writeBack.learning });
  const service = writeBack.service(platform.index, () => platform.search.invalidate());
  const errors: unknown[] = [];
  const app = createApp({
    search: platform.search,
    index: platform.index,
    writeBack: service,
    logError: (e) => errors.push(e),
    // `x-test-agent: amy` calls as a signed-in infra agent of that name; otherwise as the local developer.
    authenticate: async (c) => {
      const sub = c.req.header('x-test-agent');
      return sub ? agentIdentity({ sub, groups: ['kb-infra'] }) : localDeveloper('infra');
    },
    ...extra,
  });
  return { app, platform, writeBack, service, errors, close: writeBack.close };
}

export const putJson = (body: unknown) => ({
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A resolution as the store keeps it (the body above, with its ticket and the time it came). */
export const storedResolution = (overrides: Partial<Resolution> = {}): Resolution => ({
  source: 'jira',
  ticketId: 'HD-1',
  runbookId: 'vpn-client-wont-connect',
  outcome: 'resolved',
  summary: 'VPN fails',
  resolution: 'Reinstalled the client',
  closedAt: '2026-11-20T10:00:00Z',
  receivedAt: '2026-11-20T10:00:01Z',
  ...overrides,
});

export function resolutionBody(overrides: Record<string, unknown> = {}) {
  return {
    runbookId: 'vpn-client-wont-connect',
    outcome: 'resolved',
    summary: 'GlobalProtect will not connect from the hotel',
    resolution: 'Reinstalled the VPN client.\nReset the Winsock catalog.',
    category: 'network',
    tier: 'l1',
    closedAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}
