import { nearest } from '../nearest.ts';
import { lintData, report, runbookRule } from '../rule.ts';
import { resolveInternalLink } from './remark-runbook-internal-links.ts';

function decode(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/**
 * `#anchors` must name a heading: `[Verify](#verify)` in this runbook, or
 * `[DNS](../l2/dns.md#fix)` in another. A bad anchor opens the page at the top, and the agent
 * scrolls for the step during the call. Ids are what the HTML gives headings: GitHub's slugs.
 * Links to files that do not exist are `internal-links`' to report.
 *
 * not-ok: `[check it](#verfy)` → "Unexpected link to `#verfy`: no heading `verfy` in this runbook; did you mean `#verify`?"
 */
export default runbookRule('anchors', (_tree, file) => {
  const { runbook, library } = lintData(file);
  for (const link of runbook.links) {
    const hash = link.url.indexOf('#');
    if (!link.internal || hash === -1 || hash === link.url.length - 1) continue;
    const path = link.url.slice(0, hash);
    const target = path === '' ? runbook.path : resolveInternalLink(runbook.path, path);
    const anchors = target === undefined ? undefined : library.anchors.get(target);
    const fragment = decode(link.url.slice(hash + 1));
    if (!anchors || anchors.has(fragment)) continue;
    const guess = nearest(fragment, anchors);
    const where = target === runbook.path ? 'this runbook' : `\`${target}\``;
    report(
      file,
      `Unexpected link to \`${link.url}\`: no heading \`${fragment}\` in ${where}${guess ? `; did you mean \`${path}#${guess}\`?` : ''}`,
      link.line === undefined ? undefined : { line: link.line, column: link.column ?? 1 },
      "Use the heading's id: lowercase, spaces as dashes, punctuation dropped (`## Check the fix` → `#check-the-fix`)",
    );
  }
});
