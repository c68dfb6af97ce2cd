import type { InlineCode } from 'mdast';
import { visit } from 'unist-util-visit';
import { splitSections } from '../../runbook/structure.ts';
import { report, runbookRule } from '../rule.ts';

/** Inline code that reads like a command line: a program or cmdlet followed by arguments. */
const COMMAND_LIKE = /^(?:sudo\s+)?(?:[a-z][\w.-]*(?:\.exe)?|[A-Z][a-z]+-[A-Z]\w+)\s+\S/;

/**
 * Commands in fix steps go in fenced code blocks, which the web app gives a copy button and a
 * language; inline code is for names. Fix sections are the compiler's (splitSections), so a
 * `### Method 2` under `## Fix` is checked as part of it, as it is shown.
 *
 * not-ok: "1. Run `ipconfig /flushdns`." → "Unexpected command in inline code, expected a fenced code block"
 */
export default runbookRule('fenced-commands', (tree, file) => {
  for (const group of splitSections(tree).groups) {
    if (group.kind !== 'fix') continue;
    for (const node of group.nodes) {
      if (node.type !== 'list') continue;
      visit(node, 'inlineCode', (code: InlineCode) => {
        if (!COMMAND_LIKE.test(code.value)) return;
        report(
          file,
          `Unexpected command \`${code.value}\` in inline code, expected a fenced code block under the step`,
          code.position?.start,
          'Move the command into a fenced block (```powershell, ```bash…) indented under its step, so agents get a copy button',
        );
      });
    }
  }
});
