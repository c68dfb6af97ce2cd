import { createApp } from '../../functions/src/http/app.ts';
import { startEmbeddedSearch } from '../../functions/src/local/embedded-platform.ts';
import { CONTENT } from './runbooks.ts';

/** The API over the starter library, on the embedded engine, called with app.request(). */
export async function starterApp() {
  const platform = await startEmbeddedSearch(CONTENT);
  const errors: unknown[] = [];
  const app = createApp({ search: platform.search, index: platform.index, logError: (e) => errors.push(e) });
  return { app, platform, errors };
}

export const postJson = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
