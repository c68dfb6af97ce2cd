import { useEffect, useState } from 'preact/hooks';
import { api, isAbort, searchUrl } from '../api/client.ts';
import type { FacetName, Facets, SearchParams, SearchResponse, Tier } from '../api/types.ts';
import type { SearchRoute } from '../state/route.ts';

export interface SearchState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** The latest answer; kept while the next one loads so the list does not flicker as the agent types. */
  response?: SearchResponse | undefined;
  /** Counts per facet value, each ignoring its own facet's selection (so other values stay choosable). */
  facets?: Facets | undefined;
  error?: string | undefined;
}

interface Answer {
  response: SearchResponse;
  facets: Facets;
}

const FACETS: readonly FacetName[] = ['tier', 'category', 'state'];
const cache = new Map<string, Answer>();
const CACHE_SIZE = 60;

/** `all`: also list weak matches, which the API leaves out behind stronger ones by default. */
export function paramsOf(route: SearchRoute, audience: Tier, limit: number, all = false): SearchParams {
  return {
    q: route.q.trim(),
    audience,
    limit,
    ...(all ? { all: true } : {}),
    ...(route.tier.length ? { tier: route.tier } : {}),
    ...(route.category.length ? { category: route.category } : {}),
    ...(route.state.length ? { state: route.state } : {}),
  };
}

/**
 * The API returns facet counts under all active filters, so picking "L2" would make "L1"
 * disappear. For each facet with a selection, one more small query without that facet's
 * filter gives the counts a multi-select list needs (standard disjunctive faceting).
 */
async function fetchAnswer(params: SearchParams, signal: AbortSignal): Promise<Answer> {
  const active = FACETS.filter((name) => (params[name]?.length ?? 0) > 0);
  const [response, ...others] = await Promise.all([
    api.search(params, signal),
    ...active.map((name) => api.search({ ...without(params, name), limit: 1, offset: 0 }, signal)),
  ]);
  const facets = { ...response.facets };
  active.forEach((name, i) => {
    const other = others[i];
    if (other) facets[name] = other.facets[name];
  });
  return { response, facets };
}

function without(params: SearchParams, name: FacetName): SearchParams {
  const copy = { ...params };
  delete copy[name];
  return copy;
}

function remember(key: string, answer: Answer): void {
  cache.delete(key);
  cache.set(key, answer);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
}

export function useSearch(route: SearchRoute, audience: Tier | null, limit: number, all = false): SearchState {
  const params = audience && route.q.trim() ? paramsOf(route, audience, limit, all) : undefined;
  const key = params ? searchUrl(params) : '';
  // A search answered before (coming back from a runbook) renders at once, so focus can return to its hit.
  const [state, setState] = useState<SearchState>(() => {
    const cached = cache.get(key);
    return cached ? { status: 'ready', ...cached } : { status: 'idle' };
  });

  useEffect(() => {
    if (!params) {
      setState({ status: 'idle' });
      return;
    }
    const cached = cache.get(key);
    if (cached) {
      setState({ status: 'ready', ...cached });
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, status: 'loading', error: undefined }));
    fetchAnswer(params, controller.signal)
      .then((answer) => {
        // An answer by words only is not kept: the same search once the model is done ranks by meaning too.
        if (!answer.response.wordsOnly) remember(key, answer);
        setState({ status: 'ready', ...answer });
      })
      .catch((error: unknown) => {
        if (isAbort(error)) return;
        setState((previous) => ({ ...previous, status: 'error', error: error instanceof Error ? error.message : String(error) }));
      });
    return () => controller.abort();
    // `key` captures every input of `params`.
  }, [key]);

  return state;
}
