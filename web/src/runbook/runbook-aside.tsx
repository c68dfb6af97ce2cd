import type { RunbookResponse } from '../api/types.ts';
import { Link } from '../components/link.tsx';
import { TIER_LABELS } from '../lib/labels.ts';
import { scrollToSection } from './runbook-body.tsx';

/** Who owns it, where it applies, when to escalate, what users say, and where to go next. */
export function RunbookAside({ runbook, query }: { runbook: RunbookResponse; query: string }) {
  const escalation = runbook.sections.find((s) => s.kind === 'escalation');
  const to = runbook.escalateTo;
  return (
    <aside class="runbook-aside" aria-label="About this runbook">
      {(to?.tier || to?.team) && (
        <div class="aside-escalate">
          <h2>Escalate to</h2>
          <p>
            <strong>{[to.tier ? TIER_LABELS[to.tier].short : '', to.team ?? ''].filter(Boolean).join(' · ')}</strong>
          </p>
          {escalation && (
            <button type="button" class="link-button" onClick={() => scrollToSection(escalation.anchor)}>
              When to escalate
            </button>
          )}
        </div>
      )}
      <dl class="meta">
        {runbook.appliesTo.length > 0 && (
          <>
            <dt>Applies to</dt>
            <dd>{runbook.appliesTo.join(', ')}</dd>
          </>
        )}
        {runbook.owner && (
          <>
            <dt>Owner</dt>
            <dd>{runbook.owner}</dd>
          </>
        )}
        {runbook.reviewBy && (
          <>
            <dt>Review by</dt>
            <dd>
              <time dateTime={runbook.reviewBy}>{runbook.reviewBy}</time>
              {runbook.stale ? ' (overdue)' : ''}
            </dd>
          </>
        )}
        <dt>Readable by</dt>
        <dd>{runbook.audience.map((t) => TIER_LABELS[t].short).join(', ')}</dd>
      </dl>
      {runbook.symptoms.length > 0 && (
        <>
          <h2>Users say</h2>
          <ul class="says">
            {runbook.symptoms.map((s) => (
              <li key={s}>“{s}”</li>
            ))}
          </ul>
        </>
      )}
      {runbook.related.length > 0 && (
        <nav aria-labelledby="related-title">
          <h2 id="related-title">Related runbooks</h2>
          <ul class="related">
            {runbook.related.map((r) => (
              <li key={r.id}>
                <Link to={{ name: 'runbook', id: r.id, q: query }}>{r.title ?? r.id}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {runbook.tags.length > 0 && (
        <ul class="tags" aria-label="Tags">
          {runbook.tags.map((t) => (
            <li key={t} class="tag">
              #{t}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
