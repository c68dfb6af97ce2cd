/** A seeded generator, so a failing load can be replayed exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WriteRequest {
  ticketId: string;
  body: { runbookId?: string; outcome: string; summary: string; resolution: string; closedAt: string };
}

const RUNBOOKS = ['vpn-client-wont-connect', 'password-reset', 'printer-offline-queue-stuck', 'wifi-wont-connect', 'onedrive-not-syncing'];
const OUTCOMES = ['resolved', 'resolved', 'workaround', 'not-helpful'];

/**
 * `total` write-backs: every version of every ticket once, plus replays (exact duplicates) making
 * up `replayShare` of the total, shuffled so that versions of a ticket arrive out of order.
 */
export function writeBackLoad(total: number, replayShare: number, seed: number): WriteRequest[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const originals: WriteRequest[] = [];
  const target = Math.round(total * (1 - replayShare));
  for (let t = 0; originals.length < target; t++) {
    const versions = 1 + Math.floor(random() * 3);
    for (let v = 0; v < versions && originals.length < target; v++) {
      const closedAt = new Date(Date.UTC(2026, 10, 1, 8) + t * 60_000 + v * 3_600_000).toISOString();
      originals.push({
        ticketId: `LOAD-${t}`,
        body: { runbookId: pick(RUNBOOKS), outcome: pick(OUTCOMES), summary: `ticket ${t} version ${v}`, resolution: `fix ${v}`, closedAt },
      });
    }
  }
  const all = [...originals];
  while (all.length < total) all.push(pick(originals));
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j] as WriteRequest, all[i] as WriteRequest];
  }
  return all;
}

/** The newest version of each ticket: what the store must hold once every write is in. */
export function newestPerTicket(requests: readonly WriteRequest[]): Map<string, WriteRequest> {
  const newest = new Map<string, WriteRequest>();
  for (const r of requests) {
    const known = newest.get(r.ticketId);
    if (!known || Date.parse(r.body.closedAt) > Date.parse(known.body.closedAt)) newest.set(r.ticketId, r);
  }
  return newest;
}

/** Runs `work` over `items` with `clients` concurrent workers. */
export async function withClients<T>(items: readonly T[], clients: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}
