import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isAbort } from '../api/client.ts';
import type { SuggestResponse, Tier } from '../api/types.ts';
import { useStore } from '../lib/store.ts';
import { editingWork, setTicket, ticketStore, workOn } from '../state/ticket.ts';
import { SuggestResults } from './suggest-results.tsx';

interface Draft {
  subject: string;
  description: string;
  /** The answer for `asked` (the subject as sent), kept so coming back from a runbook shows it again. */
  response?: SuggestResponse;
  asked?: string;
}

let draft: Draft = { subject: '', description: '' };

/**
 * A pasted ticket whose first line is the subject: "Outlook keeps asking for password\n\nHi, since…"
 * fills both fields at once.
 */
export function splitTicket(text: string): { subject: string; description: string } | undefined {
  const trimmed = text.replace(/\r\n?/g, '\n').trim();
  const at = trimmed.indexOf('\n');
  if (at < 0) return undefined;
  return { subject: trimmed.slice(0, at).replace(/^subject:\s*/i, '').trim(), description: trimmed.slice(at + 1).trim() };
}

export function SuggestPage({ tier }: { tier: Tier }) {
  const [subject, setSubject] = useState(draft.subject);
  const [description, setDescription] = useState(draft.description);
  const [response, setResponse] = useState(draft.response);
  const [asked, setAsked] = useState(draft.asked ?? '');
  const [status, setStatus] = useState<'idle' | 'loading' | 'error'>('idle');
  const [error, setError] = useState('');
  const ticket = useStore(ticketStore);
  const subjectInput = useRef<HTMLInputElement>(null);
  const controller = useRef<AbortController | null>(null);
  const results = useRef<HTMLDivElement>(null);

  useEffect(() => {
    subjectInput.current?.focus();
    return () => controller.current?.abort();
  }, []);
  useEffect(() => {
    draft = { subject, description, ...(response ? { response, asked } : {}) };
  }, [subject, description, response, asked]);

  const submit = async (event?: Event) => {
    event?.preventDefault();
    if (!subject.trim()) {
      setStatus('error');
      setError('Enter the ticket subject.');
      subjectInput.current?.focus();
      return;
    }
    // The ticket id typed for this subject belongs to it from now on; one kept from another subject is cleared.
    workOn(subject);
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setStatus('loading');
    try {
      const answer = await api.suggest(
        { subject: subject.trim().slice(0, 500), ...(description.trim() ? { description: description.trim().slice(0, 20_000) } : {}), requesterTier: tier, limit: 5 },
        current.signal,
      );
      setResponse(answer);
      setAsked(subject.trim());
      setStatus('idle');
      // The answer starts below the form: bring it into view (focus stays in the form; the count is announced).
      requestAnimationFrame(() => results.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
    } catch (failure) {
      if (isAbort(failure)) return;
      setStatus('error');
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const onPaste = (event: ClipboardEvent) => {
    const split = splitTicket(event.clipboardData?.getData('text') ?? '');
    if (!split || description.trim()) return;
    event.preventDefault();
    setSubject(split.subject);
    setDescription(split.description);
    editingWork(split.subject);
  };

  const count = response ? `${response.suggestions.length} suggestions${response.escalation.recommended ? ', escalation recommended' : ''}` : '';

  return (
    <div class="suggest-page">
      <h1>Suggest from a ticket</h1>
      <p class="muted">Paste the ticket: the first line becomes the subject. You get ranked fixes your tier can follow, past tickets like it, and whether to escalate.</p>
      <form
        class="suggest-form"
        onSubmit={submit}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
        }}
      >
        <div class="field">
          <label for="ticket-subject">Subject</label>
          <input
            id="ticket-subject"
            ref={subjectInput}
            value={subject}
            maxLength={500}
            autocomplete="off"
            placeholder="Outlook keeps asking for my password"
            onInput={(event) => {
              setSubject(event.currentTarget.value);
              // A new subject is a new ticket: the previous ticket's id clears as the agent types.
              editingWork(event.currentTarget.value);
            }}
            onPaste={onPaste}
          />
        </div>
        <div class="field">
          <label for="ticket-description">
            Description <span class="muted">(optional)</span>
          </label>
          <textarea
            id="ticket-description"
            rows={5}
            maxLength={20_000}
            value={description}
            placeholder="What the user wrote, error messages, what they already tried"
            onInput={(event) => setDescription(event.currentTarget.value)}
          />
        </div>
        <div class="field field-inline">
          <label for="suggest-ticket-id">
            Ticket id <span class="muted">(optional, used when you record the fix)</span>
          </label>
          <input id="suggest-ticket-id" value={ticket} maxLength={100} autocomplete="off" onInput={(event) => setTicket(event.currentTarget.value, response && subject.trim() === asked ? asked : undefined)}
          />
        </div>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={status === 'loading'}>
            {status === 'loading' ? 'Finding fixes…' : 'Suggest fixes'}
          </button>
          <span class="muted small">
            or <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
          </span>
        </div>
      </form>
      <p class="result-count" role="status" aria-live="polite">
        {status === 'error' ? error : status === 'loading' ? 'Finding fixes…' : count}
      </p>
      <div ref={results} class="suggest-anchor">
        {response && <SuggestResults response={response} subject={asked} />}
      </div>
    </div>
  );
}
