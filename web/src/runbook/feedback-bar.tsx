import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { FeedbackKind, FeedbackRequest, ResolutionRequest, RunbookResponse, Tier } from '../api/types.ts';
import { useStore } from '../lib/store.ts';
import { generatedTicketId, isTicketId, setTicket, ticketStore, workOn } from '../state/ticket.ts';

/** Write-backs from the web app are filed under this ticket source. */
export const WEB_SOURCE = 'web';

type Action = 'resolved' | FeedbackKind;
interface Message {
  tone: 'ok' | 'error';
  text: string;
}

interface Props {
  runbook: RunbookResponse;
  query: string;
  tier: Tier;
  done: ReadonlySet<number>;
}

/** What the agent did, in the words a later reader of the ticket needs. */
export function resolutionOf(runbook: RunbookResponse, query: string, tier: Tier, done: ReadonlySet<number>, now = new Date()): ResolutionRequest {
  const steps = [...done].sort((a, b) => a - b);
  return {
    runbookId: runbook.id,
    outcome: 'resolved',
    summary: (query.trim() || runbook.title).slice(0, 500),
    resolution: `Fixed by following the runbook "${runbook.title}" (${runbook.id}).${steps.length ? ` Steps done: ${steps.join(', ')}.` : ''}`,
    tier,
    closedAt: now.toISOString(),
  };
}

/** "This fixed it" / "didn't help" / "flag a problem", with an optional ticket id, written back through the API. */
export function FeedbackBar({ runbook, query, tier, done }: Props) {
  const ticket = useStore(ticketStore);
  const [flagging, setFlagging] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Action | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const flagButton = useRef<HTMLButtonElement>(null);
  const flagText = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (flagging) flagText.current?.focus();
  }, [flagging]);
  // Opened for another subject or search than the ticket id was typed for: that id is not this ticket's.
  useEffect(() => {
    if (query.trim()) workOn(query);
  }, [query]);
  const ticketId = ticket.trim();
  const ticketInvalid = ticketId !== '' && !isTicketId(ticketId);

  async function run(action: Action, work: () => Promise<string>) {
    if (ticketInvalid) {
      setMessage({ tone: 'error', text: 'Fix the ticket id first: letters, digits and . _ : - only.' });
      return;
    }
    setBusy(action);
    setMessage(null);
    try {
      setMessage({ tone: 'ok', text: await work() });
    } catch (error) {
      setMessage({ tone: 'error', text: `Not saved: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(null);
    }
  }

  const feedback = (kind: FeedbackKind, text?: string): FeedbackRequest => ({
    kind,
    tier,
    ...(ticketId ? { ticketId } : {}),
    ...(query.trim() ? { query: query.trim().slice(0, 500) } : {}),
    ...(text ? { comment: text } : {}),
  });

  const fixed = () =>
    run('resolved', async () => {
      const id = ticketId || generatedTicketId();
      const { result } = await api.resolve(WEB_SOURCE, id, resolutionOf(runbook, query, tier, done));
      const verb = result === 'unchanged' ? 'was already recorded' : result === 'updated' ? 'updated' : 'recorded';
      return `Resolution ${verb} on ticket ${id}. Thank you!`;
    });

  const notHelpful = () =>
    run('not-helpful', async () => {
      await api.feedback(runbook.id, feedback('not-helpful'));
      return 'Noted that this did not help. If the user still has the problem, see Escalation.';
    });

  const sendFlag = (event: Event) => {
    event.preventDefault();
    const text = comment.trim();
    if (!text) {
      setMessage({ tone: 'error', text: 'Say what is wrong so the owner can fix it.' });
      return;
    }
    run('flag', async () => {
      await api.feedback(runbook.id, feedback('flag', text.slice(0, 2000)));
      setFlagging(false);
      setComment('');
      return `Flag sent to ${runbook.owner ?? 'the runbook owner'}. Thank you!`;
    });
  };

  const cancelFlag = () => {
    setFlagging(false);
    flagButton.current?.focus();
  };

  return (
    <section class="feedback" aria-labelledby="feedback-title">
      <h2 id="feedback-title" class="visually-hidden">
        Did this fix it?
      </h2>
      <div class="feedback-row">
        <div class="ticket-field">
          <label for="ticket-id">Ticket</label>
          <input
            id="ticket-id"
            value={ticket}
            placeholder="optional, e.g. INC0012345"
            maxLength={100}
            autocomplete="off"
            spellcheck={false}
            aria-invalid={ticketInvalid}
            aria-describedby={ticketInvalid ? 'ticket-error' : undefined}
            onInput={(event) => setTicket(event.currentTarget.value, query)}
          />
        </div>
        <div class="feedback-actions">
          <button type="button" class="button primary" disabled={busy !== null} onClick={fixed}>
            <span aria-hidden="true">✓ </span>
            <span class="wide-only">This fixed it</span>
            <span class="narrow-only">Fixed it</span>
          </button>
          <button type="button" class="button" disabled={busy !== null} onClick={notHelpful}>
            Didn’t help
          </button>
          <button type="button" class="button" ref={flagButton} aria-expanded={flagging} aria-controls="flag-form" onClick={() => setFlagging(!flagging)}>
            <span aria-hidden="true">⚑ </span>
            {'Flag'}
            <span class="wide-only"> a problem</span>
          </button>
        </div>
      </div>
      {ticketInvalid && (
        <p id="ticket-error" class="field-error">
          Ticket ids use letters, digits and . _ : - only.
        </p>
      )}
      {flagging && (
        <form id="flag-form" class="flag-form" onSubmit={sendFlag}>
          <label for="flag-comment">What is wrong with this runbook?</label>
          <textarea
            id="flag-comment"
            rows={3}
            maxLength={2000}
            value={comment}
            ref={flagText}
            onInput={(event) => setComment(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault();
                cancelFlag();
              }
            }}
          />
          <div class="flag-actions">
            <button type="submit" class="button primary" disabled={busy !== null}>
              Send flag
            </button>
            <button type="button" class="button" onClick={cancelFlag}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <p class={`feedback-status ${message?.tone ?? ''}`} role="status">
        {busy ? 'Saving…' : message?.text}
      </p>
    </section>
  );
}
