import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolutionItem, signalOfItem } from '../../functions/src/adapters/dynamodb/items.ts';
import { EmbeddedResolutionIndex } from '../../functions/src/adapters/embedded/embedded-resolution-index.ts';
import { SignalFeed, type SignalSources } from '../../functions/src/app/signal-feed.ts';
import type { Resolution } from '../../functions/src/contracts/api.ts';
import { signalOfResolution } from '../../functions/src/core/resolutions/model.ts';
import type { ChangeEvent } from '../../functions/src/ports/resolution-store.ts';

const resolution = (ticketId: string, summary: string): Resolution => ({
  source: 'jira',
  ticketId,
  outcome: 'resolved',
  runbookId: 'vpn-drops',
  summary,
  resolution: 'Reinstalled the client.',
  closedAt: '2026-12-01T10:00:00Z',
  receivedAt: '2026-12-01T10:00:01Z',
});
const change = (r: Resolution): ChangeEvent => ({ id: `jira/${r.ticketId}`, name: 'INSERT', newImage: resolutionItem(r) });

/** A store of one resolution, and a change log the test appends to. */
function sources(log: ChangeEvent[] = []) {
  const asked: string[] = [];
  const fake: SignalSources = {
    async *all() {
      yield signalOfResolution(resolution('HD-1', 'vpn drops at home'));
    },
    changesSince: async (at) => {
      asked.push(at);
      return [...log];
    },
    append: async (events) => {
      log.push(...events);
    },
    toSignal: signalOfItem,
  };
  return { fake, asked, log };
}

const keys = async (feed: SignalFeed) => (await feed.index.all()).map((s) => s.key).sort();

afterEach(() => vi.restoreAllMocks());

describe('signal feed (past tickets for an in-process index, without a stream)', () => {
  it('loads the whole store first, then asks only for changes since the last pull, less the overlap, once per interval', async () => {
    // Prepare
    let now = Date.parse('2026-12-04T12:00:00Z');
    const { fake, asked, log } = sources();
    const feed = new SignalFeed(new EmbeddedResolutionIndex(), fake, { intervalMs: 30_000, overlapMs: 60_000, now: () => now });

    // Act + Assess: the first pull is the scan.
    await feed.refresh();
    expect(await keys(feed)).toEqual(['ticket:jira/HD-1']);
    expect(asked).toEqual([]);

    log.push(change(resolution('HD-2', 'printer offline')));
    now += 10_000;
    await feed.refresh();
    expect(asked).toEqual([]); // within the interval: nothing asked

    now += 25_000;
    await feed.refresh();
    expect(asked).toEqual(['2026-12-04T11:59:00.000Z']); // the first pull's time, less a minute
    expect(await keys(feed)).toEqual(['ticket:jira/HD-1', 'ticket:jira/HD-2']);
  });

  it('applies its own write-backs at once and logs them for the other instances', async () => {
    const { fake, log } = sources();
    const changed = vi.fn();
    const feed = new SignalFeed(new EmbeddedResolutionIndex(), fake, { onChange: changed });
    await feed.refresh();
    await feed.deliver([change(resolution('HD-3', 'teams camera black'))]);
    expect(await keys(feed)).toContain('ticket:jira/HD-3');
    expect(log.map((e) => e.id)).toEqual(['jira/HD-3']);
    expect(changed).toHaveBeenCalledTimes(2);
  });

  it('keeps what it has when the change log cannot be read, and logs it', async () => {
    let now = 0;
    const { fake } = sources();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const feed = new SignalFeed(
      new EmbeddedResolutionIndex(),
      { ...fake, changesSince: () => Promise.reject(new Error('throttled')) },
      {
        now: () => now,
      },
    );
    await feed.refresh();
    now += 60_000;
    await feed.refresh();
    expect(await keys(feed)).toEqual(['ticket:jira/HD-1']);
    expect(JSON.stringify(errors.mock.calls)).toContain('throttled');
  });
});
