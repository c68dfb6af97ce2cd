import { useEffect, useRef, useState } from 'preact/hooks';
import type { FacetName, Tier } from '../api/types.ts';
import { WordsOnlyNotice } from '../components/words-only-notice.tsx';
import { plural } from '../lib/labels.ts';
import { lastSearchStore, navigate, routeStore, type SearchRoute } from '../state/route.ts';
import { editingWork } from '../state/ticket.ts';
import { FacetFilters } from './facets.tsx';
import { HitList } from './hit-list.tsx';
import { IdleHints, NoResults } from './search-states.tsx';
import { useSearch } from './use-search.ts';

/** Typing pauses this long before a search is sent: fast typists send one request per word, not per letter. */
const DEBOUNCE_MS = 120;
const PAGE = 20;
export const SEARCH_INPUT_ID = 'search-input';

/** The runbook the agent last opened, so coming back puts focus on it rather than the top. */
let lastOpened: string | undefined;

const currentSearch = (): SearchRoute | undefined => {
  const route = routeStore.get();
  return route.name === 'search' ? route : undefined;
};

export function SearchPage({ route, tier }: { route: SearchRoute; tier: Tier }) {
  const [text, setText] = useState(route.q);
  const [limit, setLimit] = useState(PAGE);
  const [filtersOpen, setFiltersOpen] = useState(false);
  /** Weak matches are listed only when asked for, and only for this query. */
  const [showWeak, setShowWeak] = useState(false);
  const pushed = useRef(route.q);
  const pendingOpen = useRef<string | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const search = useSearch(route, tier, limit, showWeak);
  const hits = search.response?.hits ?? [];
  const total = search.response?.total ?? 0;
  const weaker = search.response?.weaker ?? 0;
  const activeFilters = route.tier.length + route.category.length + route.state.length;

  useEffect(() => lastSearchStore.set(route), [route]);
  // A new search is a new ticket: the id kept for the previous one must not follow the agent.
  useEffect(() => {
    if (route.q.trim()) editingWork(route.q);
  }, [route.q]);
  useEffect(() => {
    setLimit(PAGE);
    setShowWeak(false);
  }, [route.q, route.tier, route.category, route.state]);

  // The route changed from outside the box (back button, an example link): show its query.
  useEffect(() => {
    if (route.q !== pushed.current) {
      pushed.current = route.q;
      setText(route.q);
    }
  }, [route.q]);

  // The box changed: update the route (and so the search) once typing pauses.
  useEffect(() => {
    if (text === pushed.current) return;
    const timer = setTimeout(() => {
      const current = currentSearch();
      if (!current) return;
      pushed.current = text;
      navigate({ ...current, q: text }, { replace: true });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  // Arriving here: back on the runbook just read, or in the search box.
  useEffect(() => {
    const back = lastOpened && list.current?.querySelector<HTMLElement>(`a.hit[data-id="${CSS.escape(lastOpened)}"]`);
    if (back) back.focus();
    else input.current?.focus();
    lastOpened = undefined;
  }, []);

  useEffect(() => {
    const wanted = pendingOpen.current;
    if (wanted === undefined || search.status !== 'ready' || search.response?.query !== wanted) return;
    pendingOpen.current = undefined;
    openBest(wanted, search.response.hits[0]?.id);
  }, [search]);

  function openBest(q: string, id: string | undefined) {
    if (!id) return;
    lastOpened = id;
    // At the section that answered, as a click on the hit does.
    const section = search.response?.hits.find((h) => h.id === id)?.section.anchor;
    navigate({ name: 'runbook', id, q, ...(section ? { section } : {}) });
  }

  const setFilter = (name: FacetName, values: string[]) => navigate({ ...route, q: text, [name]: values }, { replace: true });
  const clearFilters = () => navigate({ ...route, q: text, tier: [], category: [], state: [] }, { replace: true });

  const focusInput = (typed?: string) => {
    input.current?.focus();
    if (typed) setText((t) => t + typed);
  };

  const onInputKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' && hits.length > 0) {
      event.preventDefault();
      list.current?.querySelector<HTMLElement>('a.hit')?.focus();
    } else if (event.key === 'Enter' && text.trim()) {
      // Enter opens the best match; typed faster than the debounce, it searches first and then opens.
      event.preventDefault();
      const wanted = text.trim();
      if (search.status === 'ready' && search.response?.query === wanted) {
        openBest(wanted, search.response.hits[0]?.id);
        return;
      }
      pendingOpen.current = wanted;
      if (text !== pushed.current) {
        pushed.current = text;
        navigate({ ...route, q: text }, { replace: true });
      }
    } else if (event.key === 'Escape' && text) {
      event.preventDefault();
      setText('');
    }
  };

  const answered = search.status === 'ready' || search.status === 'error';
  const status = !route.q.trim()
    ? ''
    : search.status === 'error'
      ? `Search failed: ${search.error}`
      : search.status === 'loading' && !search.response
        ? 'Searching…'
        : `${plural(total, 'runbook')} for “${search.response?.query ?? route.q}”${activeFilters ? ` (${plural(activeFilters, 'filter')})` : ''}`;

  return (
    <div class="search-page">
      <h1 class="visually-hidden">Search runbooks</h1>
      <search class="search-box">
        <label for={SEARCH_INPUT_ID} class="visually-hidden">
          Describe the problem
        </label>
        <span class="search-icon" aria-hidden="true">
          ⌕
        </span>
        <input
          id={SEARCH_INPUT_ID}
          ref={input}
          type="search"
          value={text}
          placeholder="Describe the problem, e.g. outlook keeps asking for password"
          autocomplete="off"
          spellcheck={false}
          aria-describedby="search-keys"
          onInput={(event) => setText(event.currentTarget.value)}
          onKeyDown={onInputKeyDown}
        />
        <span class="search-kbd" aria-hidden="true">
          <kbd>/</kbd>
        </span>
      </search>
      <p id="search-keys" class="keys-hint">
        <kbd>/</kbd> search · <kbd>↓</kbd> <kbd>↑</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> back
      </p>

      <div class="search-layout">
        {search.facets && route.q.trim() && (total > 0 || activeFilters > 0) ? (
          <aside class="filters" data-open={filtersOpen} aria-label="Filters">
            <button
              type="button"
              class="filters-toggle"
              aria-expanded={filtersOpen}
              aria-controls="facet-panel"
              onClick={() => setFiltersOpen(!filtersOpen)}
            >
              Filters{activeFilters ? ` · ${activeFilters} on` : ''}
            </button>
            <div id="facet-panel" class="filters-panel">
              <FacetFilters facets={search.facets} route={route} onChange={setFilter} />
              {activeFilters > 0 && (
                <button type="button" class="link-button" onClick={clearFilters}>
                  Clear filters
                </button>
              )}
            </div>
          </aside>
        ) : null}

        <div class="results" ref={list} aria-busy={search.status === 'loading'}>
          <p class="result-count" role="status" aria-live="polite">
            {status}
          </p>
          {route.q.trim() && search.response?.wordsOnly && <WordsOnlyNotice />}
          {!route.q.trim() && <IdleHints tier={tier} />}
          {route.q.trim() && answered && total === 0 && search.status === 'ready' && (
            <NoResults query={route.q} filtered={activeFilters > 0} onClearFilters={clearFilters} />
          )}
          {route.q.trim() && hits.length > 0 && (
            <HitList hits={hits} query={route.q} onLeave={focusInput} onOpen={(id) => (lastOpened = id)} />
          )}
          {route.q.trim() && hits.length > 0 && total > hits.length && limit < 50 && (
            <button type="button" class="more" onClick={() => setLimit(50)}>
              Show more ({plural(Math.min(total, 50) - hits.length, 'more result')})
            </button>
          )}
          {route.q.trim() && weaker > 0 && (
            <button type="button" class="more weaker" onClick={() => setShowWeak(true)}>
              Show weaker matches ({plural(weaker, 'weak match', 'weak matches')})
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
