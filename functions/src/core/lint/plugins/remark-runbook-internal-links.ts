import { posix } from 'node:path';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { lintData, type RuleOptions, report } from '../report.ts';

/** The library path a relative Markdown link points at, or undefined for links to other kinds of file. */
export function resolveInternalLink(fromPath: string, url: string): string | undefined {
  const target = url.split('#')[0]?.split('?')[0] ?? '';
  if (!/\.(md|markdown)$/i.test(target)) return undefined;
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // A malformed escape is kept as written; it then fails to resolve and is reported.
  }
  const base = decoded.startsWith('/') ? '' : posix.dirname(fromPath);
  return posix.normalize(posix.join(base, decoded)).replace(/^\/+/, '');
}

/**
 * Relative links to other runbooks and `related` ids must resolve: a dead link during a call
 * costs the agent the next step.
 *
 * not-ok: `[DNS](../l2/nope.md)` → "Unexpected link to `../l2/nope.md`: no runbook at `l2/nope.md`"
 */
export default function remarkRunbookInternalLinks(options: RuleOptions = {}) {
  return (_tree: Root, file: VFile) => {
    const { runbook, library, fieldPositions } = lintData(file);
    const severity = options.severity ?? 'error';
    for (const link of runbook.links) {
      if (!link.internal) continue;
      const target = resolveInternalLink(runbook.path, link.url);
      if (target === undefined || library.paths.has(target)) continue;
      const place = link.line === undefined ? undefined : { line: link.line, column: link.column ?? 1 };
      report(file, 'internal-links', severity, `Unexpected link to \`${link.url}\`: no runbook at \`${target}\``, place);
    }
    for (const id of runbook.meta.related) {
      if (library.ids.has(id)) continue;
      report(file, 'internal-links', severity, `Unexpected related id \`${id}\`: no runbook has it`, fieldPositions.get('related'));
    }
  };
}
