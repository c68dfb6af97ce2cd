import type { S3Event } from 'aws-lambda';
import { compilePool } from '../adapters/compile/compile-pool.ts';
import { actionsFor, type ContentDeps, decodeS3Key, reconcileFile, syncLibrary } from './content-events.ts';
import { contentIndexerDeps } from './wiring-s3.ts';

/** What the schedule (daily `sync`) or an operator (`rebuild`) sends instead of an S3 notification. */
export type ContentCommand = { kb: 'sync' | 'rebuild' };

/**
 * S3 ObjectCreated/ObjectRemoved notifications (and the two commands) → compile → OpenSearch.
 * Runs one at a time (reserved concurrency 1), so a rebuild and single-file updates never race;
 * accounts too small to reserve it deploy without (`-c reservedConcurrency=false`), and every
 * action reads the bucket's current state, so a race converges on the next event or daily sync.
 * A throw makes Lambda retry the whole event, which is safe: every action is idempotent.
 */
export function createContentIndexer(deps: () => ContentDeps) {
  return async (event: S3Event | ContentCommand) => {
    const actions =
      'kb' in event
        ? [{ kind: 'sync' as const, full: event.kb === 'rebuild', reason: `${event.kb} requested` }]
        : actionsFor(
            event.Records.map((r) => decodeS3Key(r.s3.object.key)),
            deps().source,
          );
    const results = [];
    for (const action of actions) {
      if (action.kind === 'ignore') results.push(action);
      else if (action.kind === 'file') results.push(await reconcileFile(action.path, deps()));
      else results.push({ ...action, ...(await syncLibrary(action.full, deps())) });
    }
    for (const result of results) {
      const failed = 'failed' in result && result.failed.length > 0;
      const log = failed ? console.error : 'result' in result && result.result === 'skipped' ? console.warn : console.info;
      log({ message: 'content indexed', ...result });
    }
    return { results };
  };
}

/**
 * Files compile in threads under a time and memory budget, so a hostile file is skipped instead of
 * stalling every event behind it. Wired here, not in wiring-s3.ts, which the API bundles too.
 */
const compile = compilePool();

export const handler = createContentIndexer(() => ({ ...contentIndexerDeps(), compile }));
