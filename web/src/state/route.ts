import type { KcsState, Tier } from '../api/types.ts';
import { isState, isTier } from '../lib/labels.ts';
import { createStore } from '../lib/store.ts';

/**
 * Hash routes (`#/search?q=…`, `#/runbook/<id>`, `#/suggest`): the page works from any static
 * host and never collides with the API's own paths (`/search`, `/runbooks/…`) on the same origin.
 */
export type Route =
  | { name: 'search'; q: string; tier: Tier[]; category: string[]; state: KcsState[] }
  | { name: 'runbook'; id: string; q: string; section?: string }
  | { name: 'suggest' };

export type SearchRoute = Extract<Route, { name: 'search' }>;

export const searchRoute = (q = '', filters: Partial<Omit<SearchRoute, 'name' | 'q'>> = {}): SearchRoute => ({
  name: 'search',
  q,
  tier: filters.tier ?? [],
  category: filters.category ?? [],
  state: filters.state ?? [],
});

const list = (value: string | null): string[] => (value ? value.split(',').filter(Boolean) : []);

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const [pathname = '/', search = ''] = path.split('?', 2);
  const params = new URLSearchParams(search);
  const runbook = /^\/runbook\/([a-z0-9][a-z0-9-]*)$/.exec(pathname);
  if (runbook?.[1]) {
    const section = params.get('section');
    return { name: 'runbook', id: runbook[1], q: params.get('q') ?? '', ...(section ? { section } : {}) };
  }
  if (pathname === '/suggest') return { name: 'suggest' };
  return searchRoute(params.get('q') ?? '', {
    tier: list(params.get('tier')).filter(isTier),
    category: list(params.get('category')),
    state: list(params.get('state')).filter(isState),
  });
}

export function formatRoute(route: Route): string {
  if (route.name === 'suggest') return '#/suggest';
  if (route.name === 'runbook') {
    const params = new URLSearchParams();
    if (route.q) params.set('q', route.q);
    if (route.section) params.set('section', route.section);
    const query = params.toString();
    return `#/runbook/${route.id}${query ? `?${query}` : ''}`;
  }
  const params = new URLSearchParams();
  if (route.q) params.set('q', route.q);
  for (const key of ['tier', 'category', 'state'] as const) if (route[key].length > 0) params.set(key, route[key].join(','));
  const query = params.toString();
  return query ? `#/search?${query}` : '#/';
}

export const routeStore = createStore<Route>(parseRoute(location.hash));
/** The last search the agent ran, so "back" from a runbook lands on the same results. */
export const lastSearchStore = createStore<SearchRoute>(searchRoute());

const sync = () => routeStore.set(parseRoute(location.hash));
addEventListener('popstate', sync);
addEventListener('hashchange', sync);

/** Entries the app pushed are marked, so Esc can go back only when back stays inside the app. */
interface HistoryMark {
  kb: true;
}
const isMarked = (state: unknown): state is HistoryMark => typeof state === 'object' && state !== null && 'kb' in state;

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const hash = formatRoute(route);
  if (options.replace) {
    history.replaceState(history.state, '', hash);
  } else if (hash !== location.hash) {
    history.pushState({ kb: true } satisfies HistoryMark, '', hash);
  }
  routeStore.set(parseRoute(hash));
}

/** Back to where the agent came from inside the app, or to the last search when opened directly. */
export function goBack(): void {
  if (isMarked(history.state)) history.back();
  else navigate(lastSearchStore.get(), { replace: true });
}
