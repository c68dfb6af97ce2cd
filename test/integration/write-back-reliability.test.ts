import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newestPerTicket, type WriteRequest, withClients, writeBackLoad } from '../../functions/src/bench/write-back-load.ts';
import { startServerProcess, stop } from '../helpers/server-process.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-reliability-'));
  dirs.push(dir);
  return dir;
}

async function send(url: string, r: WriteRequest): Promise<{ status: number; result?: string }> {
  const response = await fetch(`${url}/tickets/loadtest/${r.ticketId}/resolution`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(r.body),
  });
  const body = (await response.json()) as { result?: string };
  return { status: response.status, ...(body.result ? { result: body.result } : {}) };
}

async function stored(url: string, ticketId: string): Promise<{ closedAt: string; runbookId?: string; outcome: string } | undefined> {
  const response = await fetch(`${url}/tickets/loadtest/${ticketId}/resolution`);
  return response.status === 200 ? ((await response.json()) as { closedAt: string; outcome: string }) : undefined;
}

describe('write-back reliability against a running kb serve', () => {
  it('10,000 write-backs, 30% replays, out of order, 20 clients: one record per ticket with the newest data, counters exact', async () => {
    // Prepare
    const { url, child } = await startServerProcess(dataDir());
    const load = writeBackLoad(10_000, 0.3, 7);
    const newest = newestPerTicket(load);
    const results: Record<string, number> = {};

    // Act
    await withClients(load, 20, async (r) => {
      const { status, result } = await send(url, r);
      expect([200, 201]).toContain(status);
      results[result ?? 'none'] = (results[result ?? 'none'] ?? 0) + 1;
    });

    // Assess: every ticket was created exactly once and holds its newest version.
    expect(results.created).toBe(newest.size);
    const expectedCounts = new Map<string, number>();
    await withClients([...newest.values()], 20, async (want) => {
      const got = await stored(url, want.ticketId);
      expect(got).toMatchObject({ closedAt: want.body.closedAt, runbookId: want.body.runbookId, outcome: want.body.outcome });
    });
    for (const r of newest.values()) {
      if (r.body.outcome === 'resolved' && r.body.runbookId)
        expectedCounts.set(r.body.runbookId, (expectedCounts.get(r.body.runbookId) ?? 0) + 1);
    }
    for (const [runbookId, count] of expectedCounts) {
      const usage = (await (await fetch(`${url}/runbooks/${runbookId}/usage`)).json()) as { resolved: number };
      expect(usage.resolved, runbookId).toBe(count);
    }
    await stop(child);
  }, 240_000);

  it('SIGKILL in the middle of a load loses no acknowledged write', async () => {
    // Prepare
    const dir = dataDir();
    const first = await startServerProcess(dir);
    const load = writeBackLoad(6_000, 0.3, 11);
    const acknowledged: WriteRequest[] = [];
    let killed = false;
    // Killed after a count of acknowledged writes, not after a time: on a busy machine a timer
    // could fire before the server had acknowledged anything worth checking.
    const killAfter = 300;

    // Act: write until the server dies under us; only 2xx answers count as acknowledged.
    await withClients(load, 20, async (r) => {
      if (killed) return;
      try {
        const { status } = await send(first.url, r);
        if (status === 200 || status === 201) acknowledged.push(r);
      } catch {
        // Connection reset by the kill: not acknowledged, so not owed.
      }
      if (!killed && acknowledged.length >= killAfter) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    });
    await stop(first.child, 'SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
    expect(acknowledged.length).toBeLessThan(load.length);
    const second = await startServerProcess(dir);

    // Assess: each ticket holds at least the newest acknowledged version.
    const owed = newestPerTicket(acknowledged);
    await withClients([...owed.values()], 20, async (want) => {
      const got = await stored(second.url, want.ticketId);
      expect(got, want.ticketId).toBeDefined();
      expect(Date.parse(got?.closedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(want.body.closedAt));
    });
    await stop(second.child);
  }, 240_000);
});
