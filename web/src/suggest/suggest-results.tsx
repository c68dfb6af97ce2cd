import type { Escalation, SimilarResolution, Suggestion, SuggestResponse } from '../api/types.ts';
import { Badges } from '../components/badges.tsx';
import { CommandBlock } from '../components/command-block.tsx';
import { Link } from '../components/link.tsx';
import { WordsOnlyNotice } from '../components/words-only-notice.tsx';
import { confidenceLevel, plural, TIER_LABELS } from '../lib/labels.ts';
import { CopyNote } from './copy-note.tsx';

/** Index field names as an agent would say them; unknown fields show as they are. */
const FIELD_NAMES: Record<string, string> = {
  title: 'title',
  symptoms: 'symptoms',
  steps: 'steps',
  body: 'text',
  tags: 'tags',
  lead: 'summary',
};

function Confidence({ value }: { value: number }) {
  const pct = Math.round(value * 100);
  const level = confidenceLevel(value);
  return (
    <div class="confidence" data-level={level}>
      <span class="confidence-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span>
        {pct}% confidence · {level}
      </span>
    </div>
  );
}

/**
 * "Escalate to Windows Infrastructure (queue WIN-L3) (L3): open DHCP scope exhausted…", as the
 * ticket note says it (functions/src/core/suggest/note.ts): the queue to assign, the tier, and the
 * runbook that tier should open. The runbook is named, not linked: the requester may not read it.
 */
export function escalationHeadline(escalation: Escalation): string {
  if (!escalation.recommended) return 'No need to escalate yet';
  const tier = escalation.toTier ? TIER_LABELS[escalation.toTier].short : '';
  const target = escalation.team ? `${escalation.team}${tier ? ` (${tier})` : ''}` : tier;
  const open = escalation.runbook ? `: open ${escalation.runbook.title}` : '';
  return `Escalate${target ? ` to ${target}` : ''}${open}`;
}

export function EscalationAdvice({ escalation }: { escalation: Escalation }) {
  return (
    <section class={`callout ${escalation.recommended ? 'escalate' : 'ok'}`} aria-labelledby="escalation-title">
      <h2 id="escalation-title">{escalationHeadline(escalation)}</h2>
      <p>{escalation.reason}</p>
    </section>
  );
}

function SuggestionCard({ suggestion, subject, first }: { suggestion: Suggestion; subject: string; first: boolean }) {
  const { fix } = suggestion;
  return (
    <li class="suggestion">
      <h3>
        <Link to={{ name: 'runbook', id: suggestion.id, q: subject, ...(fix ? { section: fix.anchor } : {}) }}>{suggestion.title}</Link>
      </h3>
      <div class="suggestion-meta">
        <Badges tier={suggestion.tier} state={suggestion.state} stale={suggestion.stale} />
        <Confidence value={suggestion.confidence} />
      </div>
      {suggestion.why.length > 0 && (
        <p class="why">
          <span class="why-label">Why: </span>
          {suggestion.why.slice(0, 6).map((w, i) => (
            <span key={w.term}>
              {i > 0 ? '; ' : ''}
              <mark>{w.term}</mark> in {w.fields.map((f) => FIELD_NAMES[f] ?? f).join(', ')}
            </span>
          ))}
        </p>
      )}
      {fix && fix.steps.length > 0 && (
        <details class="fix-preview" open={first}>
          <summary>
            {fix.heading}: {plural(fix.steps.length, 'step')}
          </summary>
          <ol>
            {fix.steps.map((step) => (
              <li key={step.n} value={step.n}>
                <p>{step.text}</p>
                {step.commands.map((c, i) => (
                  <CommandBlock key={i} code={c.code} lang={c.lang} />
                ))}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}

function Resolution({ item, subject }: { item: SimilarResolution; subject: string }) {
  return (
    <li class="resolution">
      <p class="resolution-head">
        <strong>{item.summary}</strong>
        <span class={`badge outcome outcome-${item.outcome}`}>{item.outcome.replace('-', ' ')}</span>
      </p>
      <p class="resolution-text">{item.resolution}</p>
      <p class="muted small">
        {item.source} {item.ticketId} · closed <time dateTime={item.closedAt}>{item.closedAt.slice(0, 10)}</time>
        {item.runbookId && (
          <>
            {' · '}
            <Link to={{ name: 'runbook', id: item.runbookId, q: subject }}>runbook</Link>
          </>
        )}
      </p>
    </li>
  );
}

export function SuggestResults({ response, subject }: { response: SuggestResponse; subject: string }) {
  return (
    <div class="suggest-results">
      {response.wordsOnly && <WordsOnlyNotice />}
      <EscalationAdvice escalation={response.escalation} />
      <CopyNote note={response.note.text} />
      <section aria-labelledby="suggestions-title">
        <h2 id="suggestions-title">Suggested fixes</h2>
        {response.suggestions.length === 0 ? (
          <p>No runbook fits this ticket at your tier. Follow the escalation advice above.</p>
        ) : (
          <ol class="suggestions">
            {response.suggestions.map((s, i) => (
              <SuggestionCard key={s.id} suggestion={s} subject={subject} first={i === 0} />
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="similar-title">
        <h2 id="similar-title">Similar past tickets</h2>
        {response.similarResolutions.length === 0 ? (
          <p class="muted">No resolved ticket like this one yet. When you close it, “This fixed it” on the runbook records how.</p>
        ) : (
          <ul class="resolutions">
            {response.similarResolutions.map((r) => (
              <Resolution key={`${r.source}/${r.ticketId}`} item={r} subject={subject} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
