import { beforeEach, describe, expect, it } from 'vitest';
import type { Resolution } from '../../functions/src/contracts/api.ts';
import { GAP_SIGNAL_LIMIT, gapSignalsOf } from '../../functions/src/core/resolutions/gap-signals.ts';
import { type Feedback, type Signal, signalOfFeedback, signalOfResolution } from '../../functions/src/core/resolutions/model.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery, type QueryPlan } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';
import type { ResolutionIndex } from '../../functions/src/ports/resolution-index.ts';

const ticket = (r: Partial<Resolution> & Pick<Resolution, 'ticketId' | 'summary'>): Signal =>
  signalOfResolution({
    source: 'jira',
    outcome: 'resolved',
    resolution: '',
    closedAt: '2026-12-01T10:00:00.000Z',
    receivedAt: '2026-12-01T10:00:01.000Z',
    ...r,
  });

const feedback = (f: Partial<Feedback> & Pick<Feedback, 'id' | 'kind' | 'runbookId'>): Signal =>
  signalOfFeedback({ at: '2026-12-02T09:00:00.000Z', ...f });

/**
 * Past tickets and feedback, each differing in what the tests below look at. The fix texts share
 * no words with the paraphrases used for meaning, so a paraphrase found is found by meaning alone.
 */
export function contractSignals(): Signal[] {
  return [
    ticket({
      ticketId: 'HD-1',
      runbookId: 'printer-offline',
      summary: 'Printer on floor 3 shows offline after toner swap',
      resolution: 'Restarted the spooler service.',
    }),
    ticket({
      ticketId: 'HD-2',
      runbookId: 'outlook-password',
      summary: 'Outlook keeps asking for my password',
      resolution: 'Removed the saved sign-in.',
    }),
    ticket({
      source: 'servicenow',
      ticketId: 'INC-3',
      runbookId: 'vpn-drops',
      outcome: 'workaround',
      summary: 'VPN disconnects every few minutes when working from home',
      category: 'network',
    }),
    // Closed without a runbook: a gap, found like any ticket, counted for no runbook.
    ticket({ ticketId: 'HD-4', outcome: 'no-runbook', summary: 'Need a second monitor for my desk' }),
    feedback({ id: 'fb-1', kind: 'helpful', runbookId: 'printer-offline', query: 'printer offline' }),
    feedback({ id: 'fb-2', kind: 'not-helpful', runbookId: 'old-fax', query: 'printer offline', comment: 'about fax machines' }),
    // Feedback given without a search: counted for its runbook, never like any ticket.
    feedback({ id: 'fb-3', kind: 'flag', runbookId: 'vpn-drops', comment: 'step 2 is out of date' }),
  ];
}

/** The paraphrases: no word in common with the ticket they mean (checked by the first meaning test). */
const PARAPHRASE = { outlook: 'mail program wants my credentials again and again', vpn: 'remote access drops constantly' } as const;

const options = searchOptions();
/** A plan with the query's words only, as the service makes it without an embedder. */
const words = (text: string): QueryPlan => planQuery({ text }, NO_SYNONYMS, options);
const keys = (found: readonly { signal: Signal }[]) => found.map((s) => s.signal.key);
const keyOf = (signals: readonly Signal[]) => signals.map((s) => s.key);
const byKey = (signals: readonly Signal[]) => [...signals].sort((a, b) => a.key.localeCompare(b.key));

export interface ResolutionIndexContractOptions {
  /** Waits until writes are searchable (near-real-time engines refresh). */
  settle?: (index: ResolutionIndex) => Promise<void>;
  /**
   * How the engine finds tickets by meaning: the embedder it was created with (the same one makes
   * the plans' vectors), or why it cannot, which skips those cases by that reason.
   */
  meaning: { embedder: () => Promise<Embedder> } | { unsupported: string };
}

/**
 * The behaviour every ResolutionIndex adapter must have, as the learning loop and the gap report
 * see it. `create` returns an empty index.
 */
export function resolutionIndexContract(name: string, create: () => Promise<ResolutionIndex>, contract: ResolutionIndexContractOptions) {
  const settle = contract.settle ?? (async () => {});

  describe(`ResolutionIndex contract: ${name}`, () => {
    let index: ResolutionIndex;
    /** Each runbook's counters, as the gap report reads them. */
    const usage = async () => (await index.gapSignals(GAP_SIGNAL_LIMIT)).usage;
    const write = async (signals: readonly Signal[]) => {
      await index.upsert(signals);
      await settle(index);
    };
    const remove = async (keys: readonly string[]) => {
      await index.remove(keys);
      await settle(index);
    };

    describe('empty', () => {
      beforeEach(async () => {
        index = await create();
      });

      it('finds nothing, lists nothing and counts nothing before the first write', async () => {
        await write([]);
        await remove([]);
        expect(await index.similar(words('printer offline'), 5)).toEqual([]);
        expect(await index.all()).toEqual([]);
        expect(await usage()).toEqual(new Map());
      });

      it('finds nothing once every signal is removed again', async () => {
        await write(contractSignals());
        await remove(contractSignals().map((s) => s.key));
        expect(await index.similar(words('printer offline'), 5)).toEqual([]);
        expect(await index.all()).toEqual([]);
        expect(await usage()).toEqual(new Map());
      });
    });

    describe('by words', () => {
      beforeEach(async () => {
        index = await create();
        await write(contractSignals());
      });

      it('finds a past ticket by the same words, first, with all of them matched in its text', async () => {
        const [first] = await index.similar(words('Printer on floor 3 shows offline after toner swap'), 5);
        expect(first?.signal.key).toBe('ticket:jira/HD-1');
        expect(first?.coverage).toBe(1);
        expect(first?.score).toBeGreaterThan(0);
      });

      it('matches inflected words (stemmed alike) and the fix text, which does not count as coverage', async () => {
        const [inflected] = await index.similar(words('printers swapped toner'), 5);
        expect(inflected).toMatchObject({ signal: { key: 'ticket:jira/HD-1' }, coverage: 1 });
        const [byFix] = await index.similar(words('spooler'), 5);
        expect(byFix).toMatchObject({ signal: { key: 'ticket:jira/HD-1' }, coverage: 0 });
      });

      it('ranks a ticket sharing more of the words above one sharing fewer', async () => {
        // HD-1 has "printer", "offline" and "toner"; the two feedback signals only the first two.
        const found = await index.similar(words('printer offline toner'), 5);
        expect(keys(found)[0]).toBe('ticket:jira/HD-1');
        expect(found[0]?.coverage).toBe(1);
        expect(found.find((s) => s.signal.key === 'feedback:fb-1')?.coverage).toBeCloseTo(2 / 3, 3);
      });

      it('returns feedback with its polarity: helpful pushes its runbook up, not helpful down', async () => {
        const found = await index.similar(words('printer offline'), 5);
        expect(found.find((s) => s.signal.key === 'feedback:fb-1')?.signal).toMatchObject({
          kind: 'helpful',
          polarity: 1,
          runbookId: 'printer-offline',
        });
        expect(found.find((s) => s.signal.key === 'feedback:fb-2')?.signal).toMatchObject({
          kind: 'not-helpful',
          polarity: -1,
          runbookId: 'old-fax',
          note: 'about fax machines',
        });
      });

      it('finds a ticket closed without a runbook, neither for nor against any runbook', async () => {
        const [gap] = await index.similar(words('second monitor'), 5);
        expect(gap?.signal).toMatchObject({ key: 'ticket:jira/HD-4', kind: 'no-runbook', polarity: 0 });
        expect(gap?.signal.runbookId).toBeUndefined();
        expect([...(await usage()).keys()].sort()).toEqual(['old-fax', 'outlook-password', 'printer-offline', 'vpn-drops']);
      });

      it('finds nothing for words no signal has, or a query of stop words only', async () => {
        expect(await index.similar(words('bluetooth headset crackles'), 5)).toEqual([]);
        expect(await index.similar(words('the and of'), 5)).toEqual([]);
      });

      it('never lists feedback given without words, but counts it', async () => {
        expect(keys(await index.similar(words('vpn step out of date'), 10))).not.toContain('feedback:fb-3');
        expect((await usage()).get('vpn-drops')).toMatchObject({ workaround: 1, flagged: 1 });
      });

      it('returns at most `limit` signals, best first', async () => {
        const all = await index.similar(words('printer offline'), 10);
        expect(all).toHaveLength(3);
        expect(all.map((s) => s.score)).toEqual([...all.map((s) => s.score)].sort((a, b) => b - a));
        expect(await index.similar(words('printer offline'), 2)).toHaveLength(2);
        expect(await index.similar(words('printer offline'), 1)).toHaveLength(1);
        expect(await index.similar(words('printer offline'), 0)).toEqual([]);
      });

      it('lists every signal exactly as stored, and counts each runbook from them', async () => {
        expect(byKey(await index.all())).toEqual(byKey(contractSignals()));
        const counted = await usage();
        expect(counted.get('printer-offline')).toEqual({
          resolved: 1,
          workaround: 0,
          notHelpful: 0,
          helpful: 1,
          flagged: 0,
          lastUsed: '2026-12-02T09:00:00.000Z',
        });
        expect(counted.get('old-fax')).toEqual({ resolved: 0, workaround: 0, notHelpful: 1, helpful: 0, flagged: 0 });
      });

      it("gives the gap report each runbook's counters and the latest of each listed kind, at most `limit` of each", async () => {
        // Fixed without naming a runbook: a gap, and a ticket that lowers the link rate.
        const unlinked = ticket({
          ticketId: 'HD-5',
          summary: 'Badge reader at the side door ignores my card',
          closedAt: '2026-12-03T08:00:00.000Z',
        });
        await write([unlinked]);
        const gaps = await index.gapSignals(GAP_SIGNAL_LIMIT);
        expect(gaps).toEqual(gapSignalsOf([...contractSignals(), unlinked], GAP_SIGNAL_LIMIT));
        expect(keyOf(gaps.uncovered)).toEqual(['ticket:jira/HD-5', 'ticket:jira/HD-4']);
        expect(keyOf(gaps.notHelpful)).toEqual(['feedback:fb-2']);
        expect(gaps.notes.map((s) => s.note)).toEqual(['about fax machines', 'step 2 is out of date']);
        expect(gaps.fixed).toEqual({ total: 4, linked: 3 });
        const one = await index.gapSignals(1);
        expect([one.uncovered, one.notHelpful, one.notes].map(keyOf)).toEqual([['ticket:jira/HD-5'], ['feedback:fb-2'], ['feedback:fb-2']]);
        expect(one.usage).toEqual(gaps.usage);
        expect((await index.gapSignals(0)).uncovered).toEqual([]);
      });

      it('replaces a ticket stored again (same source and id) instead of adding a second one', async () => {
        // The ticket was reopened and closed again, with other words and another outcome.
        const reclosed = ticket({
          ticketId: 'HD-1',
          runbookId: 'printer-offline',
          outcome: 'workaround',
          summary: 'Printer on floor 3 jams on every page',
        });
        await write([reclosed]);
        await write([reclosed]); // a redelivered stream record
        expect((await index.all()).filter((s) => s.key === 'ticket:jira/HD-1')).toEqual([reclosed]);
        expect(await index.all()).toHaveLength(contractSignals().length);
        expect(keys(await index.similar(words('toner swap'), 5))).toEqual([]);
        const [jam] = await index.similar(words('printer jams'), 5);
        expect(jam?.signal).toEqual(reclosed);
        expect((await usage()).get('printer-offline')).toMatchObject({
          resolved: 0,
          workaround: 1,
          helpful: 1,
        });
      });

      it('keeps tickets with the same id from different sources apart', async () => {
        const other = ticket({
          source: 'servicenow',
          ticketId: 'HD-1',
          runbookId: 'printer-offline',
          summary: 'Scanner on floor 3 offline',
        });
        await write([other]);
        expect(keys(await index.similar(words('floor 3'), 5)).sort()).toEqual(['ticket:jira/HD-1', 'ticket:servicenow/HD-1']);
        expect((await usage()).get('printer-offline')?.resolved).toBe(2);
      });

      it('forgets a removed signal everywhere, and removing an unknown key is harmless', async () => {
        await remove(['ticket:jira/HD-1', 'feedback:fb-2', 'ticket:jira/NOT-THERE']);
        const found = keys(await index.similar(words('printer offline toner'), 10));
        expect(found).toEqual(['feedback:fb-1']);
        expect((await index.all()).map((s) => s.key)).not.toContain('ticket:jira/HD-1');
        expect(await index.all()).toHaveLength(contractSignals().length - 2);
        const counted = await usage();
        expect(counted.get('printer-offline')).toMatchObject({ resolved: 0, helpful: 1 });
        expect(counted.has('old-fax')).toBe(false);
      });
    });

    describe('by meaning', () => {
      const embedder = 'embedder' in contract.meaning ? contract.meaning.embedder : undefined;
      const skip = 'unsupported' in contract.meaning ? contract.meaning.unsupported : undefined;
      /** A plan as the service makes it with an embedder: the words and the query's meaning vector. */
      const meant = async (text: string): Promise<QueryPlan> => {
        const [vector] = await (await (embedder as () => Promise<Embedder>)()).embed([text]);
        return { ...words(text), ...(vector ? { vector } : {}) };
      };

      beforeEach(async () => {
        index = await create();
        await write(contractSignals());
      });

      it.skipIf(skip)(`finds a paraphrase that shares no words with the ticket${skip ? ` (skipped: ${skip})` : ''}`, async () => {
        // Prepare: the paraphrases share no word with any signal's text (nor its fix).
        expect(await index.similar(words(PARAPHRASE.outlook), 5)).toEqual([]);
        expect(await index.similar(words(PARAPHRASE.vpn), 5)).toEqual([]);
        // Act + Assess
        const [outlook] = await index.similar(await meant(PARAPHRASE.outlook), 5);
        expect(outlook?.signal.key).toBe('ticket:jira/HD-2');
        expect(outlook?.similarity).toBeGreaterThan(0.5);
        const [vpn] = await index.similar(await meant(PARAPHRASE.vpn), 5);
        expect(vpn?.signal.key).toBe('ticket:servicenow/INC-3');
      });

      it.runIf(skip)("answers a plan carrying a vector it cannot use by the plan's words", async () => {
        // A unit vector of the usual size, as a service with an embedder would send: it must not fail the query.
        const vector = new Float32Array(384).fill(1 / Math.sqrt(384));
        const [first] = await index.similar({ ...words('Printer on floor 3 shows offline after toner swap'), vector }, 5);
        expect(first).toMatchObject({ signal: { key: 'ticket:jira/HD-1' }, coverage: 1 });
        expect(await index.similar({ ...words(PARAPHRASE.outlook), vector }, 5)).toEqual([]);
      });

      it.skipIf(skip)('finds a ticket by its own words through its meaning, too', async () => {
        const [first] = await index.similar(await meant('Printer on floor 3 shows offline after toner swap'), 5);
        expect(first?.signal.key).toBe('ticket:jira/HD-1');
        expect(first?.similarity).toBeCloseTo(1, 2);
      });

      it.skipIf(skip)('follows a replaced ticket to its new meaning, and forgets a removed one', async () => {
        await write([ticket({ ticketId: 'HD-2', runbookId: 'laptop-screen', summary: 'Laptop screen flickers when docked' })]);
        expect(keys(await index.similar(await meant(PARAPHRASE.outlook), 5))[0]).not.toBe('ticket:jira/HD-2');
        await remove(['ticket:servicenow/INC-3']);
        expect(keys(await index.similar(await meant(PARAPHRASE.vpn), 10))).not.toContain('ticket:servicenow/INC-3');
      });

      it.skipIf(skip)('returns at most `limit` signals by meaning, and never one without words', async () => {
        const plan = await meant('printer offline');
        expect(await index.similar(plan, 2)).toHaveLength(2);
        expect(await index.similar(plan, 0)).toEqual([]);
        expect(keys(await index.similar(plan, 10))).not.toContain('feedback:fb-3');
      });
    });
  });
}
