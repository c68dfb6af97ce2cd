import type { Nodes } from 'mdast';

const BLOCK = new Set(['paragraph', 'heading', 'list', 'listItem', 'blockquote', 'code', 'table', 'tableRow', 'html']);

/**
 * The readable text of an mdast node. Unlike mdast-util-to-string it separates blocks with line
 * breaks and table cells with spaces, so list items and cells do not run into one another
 * ("pod.Check pod events") and words stay searchable. A paragraph's soft line breaks (where its
 * source was wrapped) become spaces, so each line of the result is a whole block: a wrapped
 * symptom is one phrase, not three fragments ("The alert expression evaluates").
 */
export function plainText(node: Nodes): string {
  if (node.type === 'text') return node.value.replace(/[ \t]*\r?\n[ \t]*/g, ' ');
  if ('value' in node && node.type !== 'html' && node.type !== 'yaml') return node.value;
  if (node.type === 'image') return node.alt ?? '';
  if (!('children' in node)) return '';
  const parts: string[] = [];
  for (const child of node.children as Nodes[]) parts.push(plainText(child));
  const separator = node.type === 'tableRow' ? ' ' : node.children.some((c) => BLOCK.has(c.type)) ? '\n' : '';
  return parts.join(separator);
}
