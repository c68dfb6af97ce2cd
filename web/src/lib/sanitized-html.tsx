import { type ComponentChildren, h, type VNode } from 'preact';

/**
 * Renders the server's sanitized HTML as Preact elements instead of assigning innerHTML.
 *
 * The server already sanitizes runbook HTML (rehype-sanitize) and escapes snippets except for
 * <mark>. This second pass keeps that promise in the browser too: the markup is parsed by an
 * inert DOMParser document (no scripts run, no resources load), and only allow-listed tags and
 * attributes become elements; anything else is reduced to its text. No HTML string is ever
 * built here, so nothing can be injected by concatenation.
 */

const BLOCK_AND_INLINE = [
  'p', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'b', 'i', 'code', 'pre', 'kbd', 'samp', 'mark', 'del', 'ins', 's', 'sub', 'sup',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'hr', 'span', 'div',
  'details', 'summary', 'dl', 'dt', 'dd', 'input',
] as const;
/** Tags allowed in runbook bodies. */
export const RUNBOOK_TAGS: ReadonlySet<string> = new Set(BLOCK_AND_INLINE);
/** Search snippets carry text and <mark> only. */
export const SNIPPET_TAGS: ReadonlySet<string> = new Set(['mark']);

/** Elements whose content must not even be shown as text. */
const DROP = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'svg', 'math']);

const SAFE_URL = /^(https?:|mailto:|#)/i;

export type ElementOverride = (element: Element, children: () => ComponentChildren) => VNode | null | undefined;

export interface RenderOptions {
  tags: ReadonlySet<string>;
  /** Replaces an allowed element (command blocks, runbook links); return undefined for the default. */
  override?: ElementOverride;
}

export function parseHtml(html: string): HTMLElement {
  return new DOMParser().parseFromString(html, 'text/html').body;
}

function attributesOf(element: Element, tag: string): Record<string, string | boolean> {
  const props: Record<string, string | boolean> = {};
  if (tag === 'a') {
    const href = element.getAttribute('href') ?? '';
    if (SAFE_URL.test(href)) props.href = href;
    if (/^https?:/i.test(href)) {
      props.target = '_blank';
      props.rel = 'noopener noreferrer';
    }
  } else if (tag === 'code') {
    const lang = /\blanguage-[\w+-]+/.exec(element.getAttribute('class') ?? '');
    if (lang) props.class = lang[0];
  } else if (tag === 'ol') {
    const start = element.getAttribute('start');
    if (start && /^\d+$/.test(start)) props.start = start;
  } else if (tag === 'th' || tag === 'td') {
    const align = element.getAttribute('align');
    if (align === 'left' || align === 'right' || align === 'center') props.style = `text-align:${align}`;
  } else if (tag === 'input') {
    // GFM task lists only: a read-only checkbox.
    props.type = 'checkbox';
    props.disabled = true;
    if (element.hasAttribute('checked')) props.checked = true;
  }
  return props;
}

export function renderNodes(nodes: ArrayLike<Node>, options: RenderOptions): ComponentChildren[] {
  return Array.from(nodes, (node) => renderNode(node, options));
}

export function renderNode(node: Node, options: RenderOptions): ComponentChildren {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  const tag = element.tagName.toLowerCase();
  if (DROP.has(tag)) return null;
  const children = () => renderNodes(element.childNodes, options);
  if (!options.tags.has(tag)) return children();
  const replaced = options.override?.(element, children);
  if (replaced !== undefined) return replaced;
  if (tag === 'input') {
    return element.getAttribute('type') === 'checkbox' ? h('input', { ...attributesOf(element, tag), 'aria-label': 'Task' }) : null;
  }
  if (tag === 'br' || tag === 'hr') return h(tag, null);
  return h(tag, attributesOf(element, tag), children());
}

/** A search snippet: escaped text with the matched words in <mark>. */
export function Snippet({ html, id }: { html: string; id?: string }) {
  return (
    <p class="snippet" id={id}>
      {renderNodes(parseHtml(html).childNodes, { tags: SNIPPET_TAGS })}
    </p>
  );
}
