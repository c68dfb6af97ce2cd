import type { SearchResponse } from '../../functions/src/contracts/api.ts';

/** Polls until `check` passes: watchers and indexers are asynchronous by nature. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

/** The ids a running server's `/search` returns for `q`, best first. */
export async function searchIds(baseUrl: string, q: string): Promise<string[]> {
  const body = (await (await fetch(`${baseUrl}/search?q=${encodeURIComponent(q)}`)).json()) as SearchResponse;
  return body.hits.map((h) => h.id);
}
