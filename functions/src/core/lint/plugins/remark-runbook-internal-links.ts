import { posix } from 'node:path';
import { nearest } from '../nearest.ts';
import { lintData, report, runbookRule } from '../rule.ts';

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
 * The existing runbook a dead link most likely meant: the same file name in another tier's folder
 * (a runbook moved up a tier), else the closest file name.
 */
function likelyTarget(target: string, paths: ReadonlySet<string>): string | undefined {
  const name = posix.basename(target);
  const moved = [...paths].find((p) => posix.basename(p) === name);
  if (moved) return moved;
  const byName = new Map([...paths].map((p) => [posix.basename(p), p]));
  const closest = nearest(name, byName.keys());
  return closest === undefined ? undefined : byName.get(closest);
}

/**
 * Relative links to other runbooks and `related` ids must resolve: a dead link during a call
 * costs the agent the next step. The likely intended runbook is offered.
 *
 * not-ok: `[DNS](../l2/nope.md)` → "Unexpected link to `../l2/nope.md`: no runbook at `l2/nope.md`"
 */
export default runbookRule('internal-links', (_tree, file) => {
  const { runbook, library, fieldPositions } = lintData(file);
  for (const link of runbook.links) {
    if (!link.internal) continue;
    const target = resolveInternalLink(runbook.path, link.url);
    if (target === undefined || library.paths.has(target)) continue;
    const guess = likelyTarget(target, library.paths);
    const fragment = link.url.includes('#') ? link.url.slice(link.url.indexOf('#')) : '';
    const suggestion = guess ? `${posix.relative(posix.dirname(runbook.path), guess)}${fragment}` : undefined;
    report(
      file,
      `Unexpected link to \`${link.url}\`: no runbook at \`${target}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
      link.line === undefined ? undefined : { line: link.line, column: link.column ?? 1 },
      'Link to an existing runbook by its path relative to this file, or remove the link',
    );
  }
  for (const id of runbook.meta.related) {
    if (library.ids.has(id)) continue;
    const guess = nearest(id, library.ids.keys());
    report(
      file,
      `Unexpected related id \`${id}\`: no runbook has it${guess ? `; did you mean \`${guess}\`?` : ''}`,
      fieldPositions.get('related'),
      "List the `id` from another runbook's frontmatter (its file name without `.md`), or remove it",
    );
  }
});
