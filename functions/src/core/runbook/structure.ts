import GithubSlugger from 'github-slugger';
import type { Code, Heading, List, ListItem, Root, RootContent } from 'mdast';
import { visit } from 'unist-util-visit';
import type { CommandBlock, FixStep, Link, Section, SectionKind } from './model.ts';
import { plainText as nodeText } from './plain-text.ts';
import { sectionKind } from './section-names.ts';

export interface Structure {
  /** Text of the first heading when it is the document's title (depth 1). */
  titleHeading?: string;
  sections: Section[];
  steps: FixStep[];
  links: Link[];
}

const MAX_STEPS = 50;

function commandsIn(node: ListItem | RootContent): CommandBlock[] {
  const commands: CommandBlock[] = [];
  visit(node, 'code', (code: Code) => {
    commands.push({ lang: code.lang ?? '', code: code.value });
  });
  return commands;
}

function textWithoutCode(nodes: readonly RootContent[]): string {
  return nodes
    .filter((n) => n.type !== 'code')
    .map((n) => nodeText(n))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The ordered steps of a fix section: the items of its first ordered list (else its first list);
 * without a list, each paragraph starts a step and the code blocks after it are its commands.
 */
function stepsOf(nodes: readonly RootContent[]): FixStep[] {
  const lists = nodes.filter((n): n is List => n.type === 'list');
  const list = lists.find((l) => l.ordered) ?? lists[0];
  if (list) {
    return list.children.slice(0, MAX_STEPS).map((item, i) => ({
      n: i + 1,
      text: textWithoutCode(item.children),
      commands: commandsIn(item),
    }));
  }
  const steps: FixStep[] = [];
  for (const node of nodes) {
    if (node.type === 'paragraph') {
      if (steps.length >= MAX_STEPS) break;
      steps.push({ n: steps.length + 1, text: nodeText(node).replace(/\s+/g, ' ').trim(), commands: [] });
    } else if (node.type === 'code') {
      const last = steps.at(-1) ?? { n: 1, text: '', commands: [] };
      if (steps.length === 0) steps.push(last);
      last.commands.push({ lang: node.lang ?? '', code: node.value });
    }
  }
  return steps.filter((s) => s.text !== '' || s.commands.length > 0);
}

function isExternal(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//');
}

function linksOf(tree: Root): Link[] {
  const links: Link[] = [];
  visit(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'definition') return;
    const url = node.url;
    const text = node.type === 'link' ? nodeText(node) : (node.label ?? '');
    const start = node.position?.start;
    links.push({
      url,
      text,
      internal: !isExternal(url),
      ...(start ? { line: start.line, column: start.column } : {}),
    });
  });
  return links;
}

/** A section as the compiler sees it: its heading (none for text before the first) and its content. */
export interface SectionNodes {
  heading: Heading | undefined;
  /** True for the first group: the `#` title, if any, and the text before the first section. */
  lead: boolean;
  /** What the heading names (`other` for the title group and text before any heading). */
  kind: SectionKind;
  nodes: RootContent[];
}

/**
 * Splits a runbook at its top-level headings: the shallowest depth below a leading `#` title.
 * Deeper headings ("### Method 1") stay inside their section. The compiler and the lint rules
 * share this one rule, so lint checks the same sections the help desk sees.
 *
 * @example
 * const [intro, ...sections] = splitSections(parseMarkdown(text)).groups;
 */
export function splitSections(tree: Root): { title?: Heading; groups: SectionNodes[] } {
  const body = tree.children.filter((n) => n.type !== 'yaml' && (n.type as string) !== 'toml');
  const headings = body.filter((n): n is Heading => n.type === 'heading');
  const first = headings[0];
  const title = first && first.depth === 1 && body[0] === first ? first : undefined;
  const rest = headings.filter((h) => h !== title);
  const sectionDepth = rest.length > 0 ? Math.min(...rest.map((h) => h.depth)) : 7;

  const groups: SectionNodes[] = [{ heading: title, lead: true, kind: 'other', nodes: [] }];
  for (const node of body) {
    if (node === title) continue;
    if (node.type === 'heading' && node.depth <= sectionDepth) {
      groups.push({ heading: node, lead: false, kind: sectionKind(nodeText(node).trim()), nodes: [] });
    } else groups.at(-1)?.nodes.push(node);
  }
  return { ...(title ? { title } : {}), groups };
}

/**
 * Splits a runbook into sections (splitSections), classifies each by its heading name, and reads
 * fix steps and links.
 */
export function extractStructure(tree: Root): Structure {
  const { title, groups } = splitSections(tree);
  const slugger = new GithubSlugger();
  const sections: Section[] = [];
  const steps: FixStep[] = [];
  for (const { heading, kind, nodes } of groups) {
    if (heading === title && nodes.length === 0) continue;
    const headingText = heading ? nodeText(heading).trim() : '';
    const section: Section = {
      kind,
      heading: headingText || 'Overview',
      anchor: slugger.slug(headingText || 'overview'),
      depth: heading?.depth ?? 0,
      text: nodes
        .map((n) => nodeText(n))
        .join('\n')
        .trim(),
    };
    if (kind === 'fix') {
      section.steps = stepsOf(nodes);
      for (const step of section.steps) steps.push({ ...step, n: steps.length + 1 });
    }
    sections.push(section);
  }
  return {
    ...(title ? { titleHeading: nodeText(title).trim() } : {}),
    sections,
    steps,
    links: linksOf(tree),
  };
}
