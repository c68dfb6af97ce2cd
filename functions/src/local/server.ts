import { existsSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { compilePool } from '../adapters/compile/compile-pool.ts';
import type { LoadOptions } from '../app/load-library.ts';
import { loadSettings } from '../app/load-library.ts';
import { NO_QUEUES } from '../core/search/queues.ts';
import { NO_SYNONYMS, parseSynonyms } from '../core/search/synonyms.ts';
import { createApp } from '../http/app.ts';
import { type LocalAccessOptions, localAccess } from './access-platform.ts';
import { ChangeFeed } from './change-feed.ts';
import { type WatchEvents, watchContent } from './content-watcher.ts';
import { type BackgroundEmbedding, EMBED_BEFORE_SERVING, type EmbeddedPlatform, startEmbeddedSearch } from './embedded-platform.ts';
import { answerClientErrors, closeAfterEarlyAnswer, localErrorLog } from './http-edges.ts';
import type { OpenSearchPlatform, OpenSearchTarget } from './opensearch-platform.ts';
import { startLocalWriteBack } from './write-back-platform.ts';

export interface LocalServerOptions {
  contentDir: string;
  port: number;
  host?: string;
  /** Where write-backs persist (the in-process DynamoDB API's LevelDB); in memory when absent. */
  dataDir?: string;
  /** Built web app to serve at `/` (web/dist), when it exists. */
  webDir?: string;
  watch?: boolean;
  load?: LoadOptions;
  events?: Partial<WatchEvents>;
  /** Search on this OpenSearch cluster (synced from the content folder) instead of the embedded engine. */
  opensearch?: OpenSearchTarget;
  /** Who may call it (see access-platform.ts): the local developer on loopback by default. */
  access?: LocalAccessOptions;
  /**
   * Texts the model embeds before the embedded engine answers (default EMBED_BEFORE_SERVING);
   * a library with more to embed is served by its words first (`platform.embedding`).
   */
  embedBeforeServing?: number;
}

export interface LocalServer {
  url: string;
  app: Hono;
  platform: EmbeddedPlatform | OpenSearchPlatform;
  /** Set when a large library was served by its words first and embedded behind the server (see EMBED_BEFORE_SERVING). */
  embedding?: BackgroundEmbedding;
  close: () => Promise<void>;
}

/**
 * The whole platform on one machine: embedded engine, HTTP API, web app and a content watcher.
 * If it cannot start (a busy port, a missing folder), what it had started is stopped again, so
 * the process ends with the error instead of running on half-started.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const started: (() => Promise<void>)[] = [];
  try {
    return await start(options, started);
  } catch (error) {
    for (const stop of started.reverse()) await stop().catch(() => {});
    throw error;
  }
}

async function start(options: LocalServerOptions, started: (() => Promise<void>)[]): Promise<LocalServer> {
  const writeBack = await startLocalWriteBack(options.dataDir);
  started.push(writeBack.close);
  const host = options.host ?? '127.0.0.1';
  const access = await localAccess(host, writeBack.keys, options.access).catch(async (error) => {
    await writeBack.close();
    throw error;
  });
  // Markdown is compiled in threads under a budget, at start and on every save: one slow file
  // never holds up the API (see adapters/compile/compile-pool.ts).
  const ownPool = options.load?.compile ? undefined : compilePool();
  if (ownPool) started.push(ownPool.close);
  const load: LoadOptions = { ...options.load, compile: options.load?.compile ?? (ownPool as NonNullable<typeof ownPool>) };
  const { embedder, documentEmbedder } = writeBack;
  const engine = {
    load,
    learning: writeBack.learning,
    ...(embedder ? { embedder } : {}),
    ...(documentEmbedder ? { documentEmbedder } : {}),
  };
  // Loaded only when asked for, so the embedded default does not load the OpenSearch client.
  const platform = options.opensearch
    ? await (await import('./opensearch-platform.ts')).startOpenSearchSearch(options.contentDir, options.opensearch.connection, {
        ...engine,
        ...(options.opensearch.alias ? { index: { alias: options.opensearch.alias } } : {}),
      })
    : await startEmbeddedSearch(options.contentDir, { ...engine, embedBeforeServing: options.embedBeforeServing ?? EMBED_BEFORE_SERVING });
  const embedding = 'embedding' in platform ? platform.embedding : undefined;
  if (embedding) started.push(embedding.stop);
  const changes = new ChangeFeed(platform.library.runbooks);
  const app = createApp({
    extraRoutes: (routes) => changes.routes(routes),
    search: platform.search,
    index: platform.index,
    writeBack: writeBack.service(platform.index, () => platform.search.invalidate()),
    ...access,
    logError: localErrorLog(),
    webUrl: process.env.KB_WEB_URL || undefined,
  });
  if (options.webDir && existsSync(options.webDir)) {
    // The web app routes by hash (`/#/search?q=`), so only `/` and its files are served here:
    // every other path is the API's, which answers 404 or 405 as a problem.
    app.use('/*', serveStatic({ root: options.webDir }));
  }

  const pathToId = new Map(platform.library.runbooks.map((r) => [r.path, r.id]));
  let categories = platform.library.settings.categories;
  const noop = () => {};
  const stopWatching = options.watch
    ? await watchContent(
        options.contentDir,
        platform.source,
        platform.index,
        () => {
          const { compile: _compile, onProgress: _progress, cache: _cache, ...compileOptions } = load;
          return { ...compileOptions, ...(categories ? { categories } : {}) };
        },
        load.compile as NonNullable<LoadOptions['compile']>,
        pathToId,
        {
          indexed: (path, id, messages) => {
            platform.search.invalidate();
            platform.index
              .get([id])
              .then(([runbook]) => changes.publish({ id, kind: 'indexed' }, runbook?.meta.audience))
              .catch(() => {});
            (options.events?.indexed ?? noop)(path, id, messages);
          },
          removed: (path, id) => {
            platform.search.invalidate();
            changes.publish({ id, kind: 'removed' });
            (options.events?.removed ?? noop)(path, id);
          },
          skipped: options.events?.skipped ?? noop,
          settings: (file) => {
            loadSettings(platform.source)
              .then((settings) => {
                categories = settings.categories;
                platform.search.setSynonyms(settings.synonyms ? parseSynonyms(settings.synonyms).set : NO_SYNONYMS);
                platform.search.setQueues(settings.queues ?? NO_QUEUES);
                options.events?.settings?.(file);
              })
              .catch((error) =>
                options.events?.skipped?.(file, [{ severity: 'error', fatal: true, ruleId: 'settings', reason: String(error) }]),
              );
          },
        },
      )
    : async () => {};
  started.push(stopWatching);

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: closeAfterEarlyAnswer(app.fetch), port: options.port, hostname: host }, () => resolve(s));
    s.once('error', reject);
    answerClientErrors(s);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    app,
    platform,
    ...(embedding ? { embedding } : {}),
    close: async () => {
      await embedding?.stop();
      await stopWatching();
      changes.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await writeBack.close();
      await ownPool?.close();
    },
  };
}
