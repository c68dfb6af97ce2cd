import type { Compile } from '../app/load-library.ts';
import { lintLibrary } from '../core/lint/lint.ts';

/**
 * A compiler for loadLibrary that runs the lint rules as it compiles, so a built runbook carries
 * the messages `kb lint` prints and a build counts warnings and errors as lint does. It compiles
 * in this thread: lint needs the syntax trees, which the worker pool does not send back.
 */
export function compileWithLint(today: string): Compile {
  return async (sources, options, onDone) =>
    lintLibrary(sources, { ...options, today, onProgress: () => onDone?.() }).map((report) =>
      report.runbook
        ? { ok: true, runbook: { ...report.runbook, messages: report.messages } }
        : { ok: false, failure: { path: report.path, hash: report.hash, messages: report.messages } },
    );
}
