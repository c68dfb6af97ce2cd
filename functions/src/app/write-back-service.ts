import { createHash } from 'node:crypto';
import type { FeedbackRequest, GapReport, Resolution, ResolutionRequest, ResolutionWriteResponse } from '../contracts/api.ts';
import { InvalidInputError, NotFoundError } from '../core/errors.ts';
import { GAP_SIGNAL_LIMIT } from '../core/resolutions/gap-signals.ts';
import { type GapItem, groupGaps, noGoodMatch, problemRunbooks, withoutTypedPrefixes } from '../core/resolutions/gaps.ts';
import type { Feedback } from '../core/resolutions/model.ts';
import type { RunbookUsage } from '../core/resolutions/usage.ts';
import type { CompiledRunbook } from '../core/runbook/model.ts';
import type { ResolutionIndex } from '../ports/resolution-index.ts';
import type { ChangeEvent, DeadLetter, ResolutionStore } from '../ports/resolution-store.ts';
import type { RunbookIndex } from '../ports/runbook-index.ts';
import type { NotifyFlag } from './flag-notifier.ts';

export interface WriteBackDeps {
  store: ResolutionStore;
  runbooks: RunbookIndex;
  resolutions: ResolutionIndex;
  /** The stored item images of a record, for change events in the shape a DynamoDB stream has. */
  images: { resolution: (r: Resolution) => Record<string, unknown>; feedback: (f: Feedback) => Record<string, unknown> };
  /**
   * Locally: hands change events to the resolution indexer after each write. On AWS it is left
   * out; the table's stream delivers the same events to the same indexer.
   */
  deliver?: (events: ChangeEvent[]) => Promise<void>;
  /** Re-applies dead-lettered events; resolves with the ids that failed again. */
  replay?: (events: ChangeEvent[]) => Promise<{ failed: string[] }>;
  now?: () => string;
  /** Tells the runbook's owner about a flag (flag-notifier.ts); flags are only stored without it. */
  notifyFlag?: NotifyFlag;
}

/** Write-back use cases: resolutions from ticket systems, feedback from agents, and the KCS reports. */
export class WriteBackService {
  constructor(private readonly deps: WriteBackDeps) {}

  #now(): string {
    return this.deps.now?.() ?? new Date().toISOString();
  }

  async #requireRunbook(id: string, field: string, status: 400 | 404): Promise<CompiledRunbook> {
    const [runbook] = await this.deps.runbooks.get([id]);
    if (runbook) return runbook;
    if (status === 404) throw new NotFoundError('Runbook not found', `No runbook "${id}"`);
    throw new InvalidInputError(`No runbook "${id}"`, [{ field, message: 'no runbook has this id' }]);
  }

  async putResolution(source: string, ticketId: string, body: ResolutionRequest): Promise<ResolutionWriteResponse> {
    if (body.outcome === 'no-runbook' && body.runbookId) {
      throw new InvalidInputError('A ticket closed as no-runbook cannot name a runbook', [
        { field: 'runbookId', message: 'must be absent when outcome is no-runbook' },
      ]);
    }
    if (body.runbookId) await this.#requireRunbook(body.runbookId, 'runbookId', 400);
    // A later write of the same ticket that names no runbook (a second rule, on Closed) keeps the
    // one an earlier write linked; naming another, or `no-runbook`, replaces it.
    const linked =
      body.runbookId || body.outcome === 'no-runbook' ? undefined : (await this.deps.store.getResolution(source, ticketId))?.runbookId;
    const resolution: Resolution = { ...body, ...(linked ? { runbookId: linked } : {}), source, ticketId, receivedAt: this.#now() };
    const written = await this.deps.store.putResolution(resolution);
    if (written.result !== 'unchanged' && this.deps.deliver) {
      const newImage = this.deps.images.resolution(written.resolution);
      const oldImage = written.previous ? this.deps.images.resolution(written.previous) : undefined;
      await this.deps.deliver([
        {
          id: `${source}/${ticketId}@${written.resolution.closedAt}`,
          name: oldImage ? 'MODIFY' : 'INSERT',
          newImage,
          ...(oldImage ? { oldImage } : {}),
        },
      ]);
    }
    return { result: written.result, resolution: written.resolution };
  }

  async getResolution(source: string, ticketId: string): Promise<Resolution> {
    const resolution = await this.deps.store.getResolution(source, ticketId);
    if (!resolution) throw new NotFoundError('Resolution not found', `No resolution for ${source}/${ticketId}`);
    return resolution;
  }

  /**
   * Records `by`'s feedback on a runbook. Its id is derived from who gave it and on what, so an
   * agent (or a key) has one vote per runbook, and one flag, that a later post replaces: a retry or
   * a flood counts once, and an agent who changes their mind moves the runbook once.
   */
  async addFeedback(runbookId: string, body: FeedbackRequest, by: string): Promise<{ feedback: Feedback; created: boolean }> {
    const runbook = await this.#requireRunbook(runbookId, 'id', 404);
    const id = feedbackId(by, runbookId, body.kind);
    const feedback: Feedback = { ...body, id, runbookId, at: this.#now() };
    const { created } = await this.deps.store.addFeedback(feedback);
    await this.deps.deliver?.([
      { id: `feedback/${id}@${feedback.at}`, name: created ? 'INSERT' : 'MODIFY', newImage: this.deps.images.feedback(feedback) },
    ]);
    if (feedback.kind === 'flag' && this.deps.notifyFlag) {
      // Not awaited: a slow or failing channel never holds up or fails a stored flag (the notifier logs failures).
      void this.deps
        .notifyFlag({
          runbookId,
          title: runbook.meta.title,
          owner: runbook.meta.owner,
          comment: feedback.comment,
          ticketId: feedback.ticketId,
          query: feedback.query,
          tier: feedback.tier,
          at: feedback.at,
        })
        .catch(() => {});
    }
    return { feedback, created };
  }

  async usage(runbookId: string): Promise<RunbookUsage> {
    await this.#requireRunbook(runbookId, 'id', 404);
    return this.deps.store.usage(runbookId);
  }

  /**
   * Remembers a search that found nothing or only weak matches: the first sign of a missing
   * runbook. A note for the gap report, not part of the answer: when the store refuses it
   * (throttled, unreachable) the search or suggestion is still answered, and the failure logged.
   */
  async recordSearchGap(query: string, tier: string | undefined, by?: string): Promise<void> {
    await this.deps.store.recordSearchGap(query, tier, this.#now(), by).catch((error: unknown) => {
      console.warn({ message: 'search gap not recorded', error: String(error) });
    });
  }

  /** The KCS "evolve loop" report: what users look for and do not find, and what is not working. */
  async gapReport(): Promise<GapReport> {
    const [searchGaps, signals] = await Promise.all([this.deps.store.listSearchGaps(), this.deps.resolutions.gapSignals(GAP_SIGNAL_LIMIT)]);
    const { usage, fixed } = signals;
    const uncovered: GapItem[] = signals.uncovered.map((s) => ({
      text: s.text,
      count: 1,
      ...(s.category ? { category: s.category } : {}),
      ticket: s.key.replace(/^ticket:/, ''),
    }));
    // "Did not help", from an agent (the words they searched) or a closed ticket (its summary).
    const unhelped: GapItem[] = signals.notHelpful.map((s) => ({
      text: s.text,
      count: 1,
      ...(s.resolution ? { ticket: s.key.replace(/^ticket:/, '') } : {}),
    }));
    const searched = withoutTypedPrefixes(searchGaps.map((g) => ({ text: g.query, count: g.count })));
    const comments = new Map<string, string[]>();
    for (const s of signals.notes) if (s.runbookId && s.note) comments.set(s.runbookId, [...(comments.get(s.runbookId) ?? []), s.note]);
    const problems = problemRunbooks(usage, comments);
    const reuse = [...usage]
      .filter(([, u]) => u.resolved + u.workaround > 0)
      .map(([id, u]) => ({ id, resolved: u.resolved + u.workaround, ...(u.lastUsed ? { lastUsed: u.lastUsed } : {}) }))
      .sort((a, b) => b.resolved - a.resolved || a.id.localeCompare(b.id));
    const titles = new Map(
      (await this.deps.runbooks.get([...new Set([...problems, ...reuse].map((r) => r.id))])).map((r) => [r.id, r.meta.title]),
    );
    const titled = <T extends { id: string }>(r: T) => ({ ...r, ...(titles.has(r.id) ? { title: titles.get(r.id) as string } : {}) });
    return {
      zeroResultSearches: groupGaps(searched),
      ticketsWithoutRunbook: groupGaps(uncovered),
      noGoodMatch: noGoodMatch(searched, unhelped, uncovered),
      problemRunbooks: problems.map(titled),
      linkRate: fixed.total === 0 ? 0 : Math.round((fixed.linked / fixed.total) * 1000) / 1000,
      reuse: reuse.map(titled),
    };
  }

  async deadLetters(): Promise<DeadLetter[]> {
    return this.deps.store.listDeadLetters();
  }

  /** Applies dead-lettered events again; those that succeed are deleted, the rest stay listed. */
  async replayDeadLetters(): Promise<{ replayed: number; failed: number }> {
    const letters = await this.deps.store.listDeadLetters();
    if (!this.deps.replay) return { replayed: 0, failed: letters.length };
    let replayed = 0;
    for (const letter of letters) {
      const { failed } = await this.deps.replay([letter.event]);
      if (failed.length > 0) continue;
      await this.deps.store.deleteDeadLetter(letter.id);
      replayed++;
    }
    return { replayed, failed: letters.length - replayed };
  }
}

/** One vote (helpful / not-helpful) and one flag per giver and runbook. */
export function feedbackId(by: string, runbookId: string, kind: Feedback['kind']): string {
  const slot = kind === 'flag' ? 'flag' : 'vote';
  return createHash('sha256').update(`${by}\0${runbookId}\0${slot}`).digest('base64url').slice(0, 22);
}
