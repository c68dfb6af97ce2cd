import type { Nodes, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { Point } from '../../runbook/frontmatter.ts';
import type { CompiledRunbook } from '../../runbook/model.ts';
import { plainText } from '../../runbook/plain-text.ts';
import { parseMarkdown } from '../../runbook/processor.ts';
import { splitSections } from '../../runbook/structure.ts';
import { PROMPTS, SCAFFOLD_VALUES } from '../../runbook/template.ts';
import { shorten } from '../../text/shorten.ts';
import { lintData, report, runbookRule } from '../rule.ts';
import { SECTION_PURPOSE } from '../section-purpose.ts';

/** Markers authors leave for later. Upper case only: "todo list" in prose is a word, `TODO` a marker. */
const MARKER = /\b(TODO|TBD|FIXME)\b/;
/** A value that is nothing but a marker, in any case (`owner: todo`). Not a word in one: "Todo list won't sync" is a title. */
const MARKER_VALUE = /^\s*(todo|tbd|fixme)\s*$/i;

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every paragraph and code block of `kb new`'s prompts: text left from the scaffold. */
const SCAFFOLD_TEXT: ReadonlySet<string> = (() => {
  const texts = new Set<string>();
  for (const prompt of Object.values(PROMPTS)) {
    visit(parseMarkdown(prompt), (node) => {
      if (node.type === 'paragraph') texts.add(normalize(plainText(node)));
      if (node.type === 'code') texts.add(normalize(node.value));
    });
  }
  return texts;
})();

const FIELD_HINTS: Record<string, string> = {
  title: "Say the problem in the user's words",
  category: 'Choose an id from taxonomy.yaml',
  symptoms: 'Write the phrases users put in tickets, one per line',
  owner: 'Name the team or person who keeps this runbook correct',
  'escalate-to': 'Name the tier and team an agent hands the ticket to',
};

/**
 * [frontmatter key, its value(s), what the scaffold leaves there] for each field a person fills
 * in. Tags and products are words, where `todo` may be meant (Microsoft To Do): only an upper-case
 * marker counts there.
 */
function fields(runbook: CompiledRunbook): [string, readonly string[], string | undefined][] {
  const { meta } = runbook;
  return [
    ['title', [meta.title], undefined],
    ['category', meta.category ? [meta.category] : [], SCAFFOLD_VALUES.category],
    ['symptoms', meta.symptoms, SCAFFOLD_VALUES.symptom],
    ['owner', meta.owner ? [meta.owner] : [], SCAFFOLD_VALUES.owner],
    ['escalate-to', meta.escalateTo?.team ? [meta.escalateTo.team] : [], undefined],
    ['tags', meta.tags, undefined],
    ['applies-to', meta.appliesTo, undefined],
  ];
}

function checkFrontmatter(file: VFile, runbook: CompiledRunbook, positions: ReadonlyMap<string, Point>): void {
  for (const [key, values, scaffold] of fields(runbook)) {
    const words = key === 'tags' || key === 'applies-to';
    const value = values.find((v) => v === scaffold || MARKER.test(v) || (!words && MARKER_VALUE.test(v)));
    if (value === undefined) continue;
    report(
      file,
      `Unexpected placeholder \`${key}: ${value}\`, expected a real value`,
      positions.get(key),
      FIELD_HINTS[key] ?? `Fill in \`${key}\` or remove it`,
    );
  }
}

/** Where in a text node the marker is: its line, and its column when it is on the node's first line. */
function markerPlace(node: Text, index: number): Point | undefined {
  const start = node.position?.start;
  if (!start) return undefined;
  const before = node.value.slice(0, index);
  const lines = before.split('\n');
  // Later lines of a paragraph lose their indentation in the tree, so only the line is exact there.
  return lines.length === 1
    ? { line: start.line, column: start.column + index }
    : { line: start.line + lines.length - 1, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Nothing is left unfinished: no `TODO`, `TBD` or `FIXME`, no prompt or placeholder value from
 * `kb new`'s scaffold, no empty section. An unfilled scaffold fails lint, as does a draft from
 * `kb draft` until its TODOs are done. Only runbooks that opted in to the contract (and all files
 * with `--strict`): a wiki's "TODO" is its own business.
 *
 * not-ok: `owner: TODO` → "Unexpected placeholder `owner: TODO`, expected a real value"
 */
export default runbookRule('placeholders', (tree, file) => {
  const { runbook, fieldPositions, strict } = lintData(file);
  if (!runbook.native && !strict) return;
  checkFrontmatter(file, runbook, fieldPositions);

  for (const group of splitSections(tree).groups) {
    const name = group.heading ? `\`${'#'.repeat(group.heading.depth)} ${normalize(plainText(group.heading))}\`` : 'the introduction';
    if (!group.lead && group.nodes.length === 0) {
      const purpose = SECTION_PURPOSE[group.kind];
      report(
        file,
        `Empty section ${name}, expected its content`,
        group.heading?.position?.start,
        purpose ? `Write ${purpose.says}` : 'Write the section, or remove its heading',
      );
      continue;
    }
    let scaffoldReported = false;
    for (const node of group.nodes) {
      visit(node as Nodes, (child) => {
        if (child.type === 'text') {
          const match = MARKER.exec(child.value);
          if (match) {
            report(
              file,
              `Unexpected \`${match[1]}\` in ${name}, expected finished text`,
              markerPlace(child, match.index),
              'Write what is missing, then remove the marker',
            );
          }
        }
        if (scaffoldReported || (child.type !== 'paragraph' && child.type !== 'code')) return;
        const text = normalize(child.type === 'code' ? child.value : plainText(child));
        if (!SCAFFOLD_TEXT.has(text)) return;
        scaffoldReported = true;
        report(
          file,
          `Unexpected template text in ${name} ("${shorten(text, 40)}"), expected the runbook's own`,
          child.position?.start,
          "Replace `kb new`'s prompts with this runbook's content",
        );
      });
    }
  }
});
