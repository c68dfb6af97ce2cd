import type { InlineCode, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { plainText } from '../../runbook/plain-text.ts';
import { sectionKind } from '../../runbook/section-names.ts';
import { type RuleOptions, report } from '../report.ts';

/** Inline code that reads like a command line: a program or cmdlet followed by arguments. */
const COMMAND_LIKE = /^(?:sudo\s+)?(?:[a-z][\w.-]*(?:\.exe)?|[A-Z][a-z]+-[A-Z]\w+)\s+\S/;

/**
 * Commands in fix steps go in fenced code blocks, which the web app gives a copy button and a
 * language; inline code is for names.
 *
 * not-ok: "1. Run `ipconfig /flushdns`." → "Unexpected command in inline code, expected a fenced code block"
 */
export default function remarkRunbookFencedCommands(options: RuleOptions = {}) {
  return (tree: Root, file: VFile) => {
    let inFix = false;
    for (const node of tree.children) {
      if (node.type === 'heading') {
        // Sub-headings ("### Method 1") stay in their section unless they name a kind themselves.
        const kind = sectionKind(plainText(node));
        if (node.depth <= 2 || kind !== 'other') inFix = kind === 'fix';
      }
      if (!inFix || node.type !== 'list') continue;
      visit(node, 'inlineCode', (code: InlineCode) => {
        if (!COMMAND_LIKE.test(code.value)) return;
        const start = code.position?.start;
        const reason = `Unexpected command \`${code.value}\` in inline code, expected a fenced code block under the step`;
        report(file, 'fenced-commands', options.severity ?? 'warning', reason, start);
      });
    }
  };
}
