import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';
import { type EmbeddedPlatform, startEmbeddedSearch } from '../../functions/src/local/embedded-platform.ts';
import { startLocalWriteBack } from '../../functions/src/local/write-back-platform.ts';
import { CONTENT } from '../helpers/runbooks.ts';

describe('hybrid retrieval over the starter library', () => {
  let hybrid: EmbeddedPlatform;
  let lexical: EmbeddedPlatform;
  beforeAll(async () => {
    [hybrid, lexical] = await Promise.all([startEmbeddedSearch(CONTENT), startEmbeddedSearch(CONTENT, { embedder: false })]);
  });

  it.each([
    ["can't type anything the keys do nothing on the wireless one", 'bluetooth-keyboard-mouse-not-working'],
    ['all my desktop icons vanished and my wallpaper is the default one', 'windows-temp-profile'],
  ])('understands "%s", which shares no jargon with its runbook', async (subject, expected) => {
    const ticket = { subject, limit: 5 };
    const [withMeaning, wordsOnly] = await Promise.all([hybrid.search.suggest(ticket), lexical.search.suggest(ticket)]);
    expect(withMeaning.suggestions[0]?.id).toBe(expected);
    expect(wordsOnly.suggestions[0]?.id).not.toBe(expected);
  });

  it('keeps jargon answered by its words', async () => {
    const response = await hybrid.search.suggest({ subject: 'BSOD after the latest driver update', limit: 5 });
    expect(response.suggestions[0]?.id).toBe('driver-rollback-after-update');
  });

  it('finds nothing for gibberish rather than the nearest runbook by meaning', async () => {
    const response = await hybrid.search.search({ q: 'qwzx flurb', limit: 10, offset: 0 });
    expect(response.total).toBe(0);
    expect(response.hits).toEqual([]);
  });
});

describe('the learning loop with meaning', () => {
  const writeBackReady = startLocalWriteBack(undefined);
  afterAll(async () => (await writeBackReady).close());
  /** The starter library with the model, learning from a write-back service over the same store. */
  async function learningPlatform() {
    const writeBack = await writeBackReady;
    const platform = await startEmbeddedSearch(CONTENT, { learning: writeBack.learning, embedder: await sharedEmbedder() });
    return { platform, service: writeBack.service(platform.index, () => platform.search.invalidate()) };
  }

  it('lists a closed ticket as similar to a paraphrase of it, and moves its runbook up', async () => {
    const { platform, service } = await learningPlatform();
    const paraphrase = { subject: 'printer floor 3 offline again after toner change', limit: 10 };
    const before = await platform.search.suggest(paraphrase);
    expect(before.similarResolutions).toEqual([]);

    await service.putResolution('jira', 'HD-1', {
      runbookId: 'printer-offline-queue-stuck',
      outcome: 'resolved',
      summary: 'Printer on floor 3 offline after toner swap',
      resolution: 'Cleared the queue and restarted the spooler.',
      closedAt: '2026-12-01T09:00:00Z',
    });
    const after = await platform.search.suggest(paraphrase);
    expect(after.similarResolutions.map((r) => r.ticketId)).toEqual(['HD-1']);
    // A reader sees past tickets only through runbooks they may read.
    await service.putResolution('jira', 'HD-2', {
      runbookId: 'dhcp-scope-exhausted',
      outcome: 'resolved',
      summary: 'Printer on floor 3 offline after the toner swap, no IP address',
      resolution: 'Extended the DHCP scope on the server.',
      closedAt: '2026-12-01T10:00:00Z',
    });
    const asL1 = await platform.search.suggest({ ...paraphrase, requesterTier: 'l1' });
    const asL3 = await platform.search.suggest({ ...paraphrase, requesterTier: 'l3' });
    expect(asL1.similarResolutions.map((r) => r.ticketId)).toEqual(['HD-1']);
    expect(asL3.similarResolutions.map((r) => r.ticketId).sort()).toEqual(['HD-1', 'HD-2']);
    const rank = (r: typeof after) => r.suggestions.findIndex((s) => s.id === 'printer-offline-queue-stuck');
    expect(rank(after)).toBe(0);
    const score = (r: typeof after) => r.suggestions.find((s) => s.id === 'printer-offline-queue-stuck')?.score ?? 0;
    expect(score(after)).toBeGreaterThan(score(before));
  });

  it('finds a runbook in the words of the tickets it fixed, which its own words lack', async () => {
    const { platform, service } = await learningPlatform();
    const ticket = { subject: 'been on holiday for three weeks and my mind is blank on what I type to get into windows, help', limit: 5 };
    const before = await platform.search.suggest(ticket);
    expect(before.suggestions[0]?.id).not.toBe('password-reset');

    await service.putResolution('zendesk', 'ZD-7', {
      runbookId: 'password-reset',
      outcome: 'resolved',
      summary: "back from maternity leave and I can't remember what I type to get into my computer",
      resolution: 'Verified identity and reset the password; user signed in.',
      closedAt: '2026-12-02T09:00:00Z',
    });
    const after = await platform.search.suggest(ticket);
    expect(after.suggestions[0]?.id).toBe('password-reset');
  });

  it('learns nothing from a source its operators trust 0, and still from the others', async () => {
    process.env.KB_LEARNING_SOURCE_WEIGHTS = '{"zendesk": 0}';
    const writeBack = await startLocalWriteBack(undefined).finally(() => delete process.env.KB_LEARNING_SOURCE_WEIGHTS);
    try {
      const platform = await startEmbeddedSearch(CONTENT, { learning: writeBack.learning, embedder: await sharedEmbedder() });
      const service = writeBack.service(platform.index, () => platform.search.invalidate());
      const ticket = { subject: 'been on holiday for three weeks and my mind is blank on what I type to get into windows, help', limit: 5 };
      const closed = {
        runbookId: 'password-reset',
        outcome: 'resolved' as const,
        summary: "back from maternity leave and I can't remember what I type to get into my computer",
        resolution: 'Verified identity and reset the password; user signed in.',
        closedAt: '2026-12-02T09:00:00Z',
      };
      await service.putResolution('zendesk', 'ZD-7', closed);
      const untrusted = await platform.search.suggest(ticket);
      expect(untrusted.suggestions[0]?.id).not.toBe('password-reset');
      await service.putResolution('jira', 'HD-7', closed);
      expect((await platform.search.suggest(ticket)).suggestions[0]?.id).toBe('password-reset');
    } finally {
      await writeBack.close();
    }
  });
});
