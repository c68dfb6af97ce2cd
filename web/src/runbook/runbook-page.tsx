import { useEffect, useRef, useState } from 'preact/hooks';
import { onRunbookChange } from '../api/changes.ts';
import { ApiError, api, isAbort } from '../api/client.ts';
import type { RunbookResponse, Tier } from '../api/types.ts';
import { Badges } from '../components/badges.tsx';
import { Link } from '../components/link.tsx';
import { TIER_LABELS } from '../lib/labels.ts';
import { goBack, lastSearchStore } from '../state/route.ts';
import { FeedbackBar } from './feedback-bar.tsx';
import { RunbookAside } from './runbook-aside.tsx';
import { RunbookBody, scrollToSection } from './runbook-body.tsx';

type Load =
  | { status: 'loading' }
  | { status: 'ready'; runbook: RunbookResponse }
  | { status: 'missing' }
  | { status: 'error'; message: string };

/** Ticked steps per runbook, kept while the page is open so going back and forth loses nothing. */
const ticked = new Map<string, Set<number>>();

/**
 * The runbook, loaded again whenever `kb serve` says it changed (an author saved it): the page
 * shows the new text in place, without "Loading…" and where the reader was.
 */
function useRunbook(id: string, tier: Tier): Load {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [revision, setRevision] = useState(0);
  useEffect(() => onRunbookChange((change) => change.id === id && setRevision((r) => r + 1)), [id]);
  useEffect(() => setRevision(0), [id, tier]);
  useEffect(() => {
    const controller = new AbortController();
    if (revision === 0) setLoad({ status: 'loading' });
    api
      .runbook(id, tier, controller.signal)
      .then((runbook) =>
        setLoad((previous) =>
          previous.status === 'ready' && previous.runbook.hash === runbook.hash ? previous : { status: 'ready', runbook },
        ),
      )
      .catch((error: unknown) => {
        if (isAbort(error)) return;
        if (error instanceof ApiError && error.status === 404) setLoad({ status: 'missing' });
        else setLoad({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      });
    return () => controller.abort();
  }, [id, tier, revision]);
  return load;
}

function BackLink() {
  const last = lastSearchStore.get();
  return (
    <Link
      class="back"
      to={last}
      onClick={(event: MouseEvent) => {
        event.preventDefault();
        goBack();
      }}
    >
      <span aria-hidden="true">← </span>
      {last.q ? 'Back to results' : 'Search'}{' '}
      <span aria-hidden="true">
        <kbd>Esc</kbd>
      </span>
    </Link>
  );
}

export function RunbookPage({ id, query, section, tier }: { id: string; query: string; section?: string | undefined; tier: Tier }) {
  const load = useRunbook(id, tier);
  const [done, setDone] = useState<ReadonlySet<number>>(() => ticked.get(id) ?? new Set());
  const title = useRef<HTMLHeadingElement>(null);

  useEffect(() => setDone(ticked.get(id) ?? new Set()), [id]);
  const loaded = load.status === 'ready' ? load.runbook : undefined;
  useEffect(() => {
    if (!loaded) return;
    document.title = `${loaded.title} · Runbooks`;
    return () => {
      document.title = 'Runbooks · help desk';
    };
  }, [loaded?.title]);
  // To the section (or the top) when a runbook opens, not each time a save reloads it.
  useEffect(() => {
    if (!loaded) return;
    if (section) scrollToSection(section);
    else {
      window.scrollTo(0, 0);
      title.current?.focus({ preventScroll: true });
    }
  }, [loaded?.id, section]);

  const toggle = (n: number) => {
    const next = new Set(done);
    if (!next.delete(n)) next.add(n);
    ticked.set(id, next);
    setDone(next);
  };

  if (load.status === 'loading') {
    return (
      <div class="reader">
        <BackLink />
        <p class="muted" role="status">
          Loading runbook…
        </p>
      </div>
    );
  }
  if (load.status !== 'ready') {
    return (
      <div class="reader">
        <BackLink />
        <h1 ref={title} tabIndex={-1}>
          {load.status === 'missing' ? 'Runbook not available' : 'Could not load the runbook'}
        </h1>
        <p role="alert">
          {load.status === 'missing'
            ? `There is no runbook “${id}” for ${TIER_LABELS[tier].short} agents. It may be written for another tier: escalate the ticket if you need it.`
            : load.message}
        </p>
      </div>
    );
  }

  const { runbook } = load;
  return (
    <div class="reader">
      <BackLink />
      <article class="runbook" aria-labelledby="runbook-title">
        <header class="runbook-head">
          <h1 id="runbook-title" ref={title} tabIndex={-1}>
            {runbook.title}
          </h1>
          <Badges tier={runbook.tier} state={runbook.state} stale={runbook.stale} category={runbook.category} />
          {runbook.state === 'not-validated' && (
            <p class="notice">Not validated yet: these steps have not been confirmed by the owner. Take care, and say if they worked.</p>
          )}
          {runbook.stale && (
            <p class="notice">The review date ({runbook.reviewBy}) has passed: check the steps still match what you see.</p>
          )}
          <nav class="toc" aria-label="Sections">
            {runbook.sections.map((s) => (
              <button key={s.anchor} type="button" class={`chip chip-${s.kind}`} onClick={() => scrollToSection(s.anchor)}>
                {s.heading}
              </button>
            ))}
          </nav>
        </header>
        <div class="runbook-layout">
          <RunbookBody runbook={runbook} query={query} done={done} onToggle={toggle} />
          <RunbookAside runbook={runbook} query={query} />
        </div>
      </article>
      <FeedbackBar runbook={runbook} query={query} tier={tier} done={done} />
    </div>
  );
}
