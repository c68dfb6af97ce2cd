import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import type { RunbookResponse, SectionRef } from '../api/types.ts';
import { CommandBlock } from '../components/command-block.tsx';
import { Link } from '../components/link.tsx';
import { formatRoute } from '../state/route.ts';
import { TIER_LABELS } from '../lib/labels.ts';
import { type ElementOverride, parseHtml, type RenderOptions, RUNBOOK_TAGS, renderNodes } from '../lib/sanitized-html.tsx';
import { Checklist, type ChecklistItem, itemsFromSteps } from './checklist.tsx';

interface Part {
  section: SectionRef | null;
  nodes: Node[];
}

export const sectionId = (anchor: string): string => `section-${anchor}`;

export function scrollToSection(anchor: string): void {
  const heading = document.getElementById(sectionId(anchor));
  heading?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  heading?.focus({ preventScroll: true });
}

/**
 * Splits the runbook HTML at its h2 headings and pairs each with the API's section list (same
 * order and text), so each part knows its kind: fix, rollback, escalation…
 */
function splitSections(body: HTMLElement, sections: readonly SectionRef[]): Part[] {
  const unused = [...sections];
  const parts: Part[] = [];
  let current: Part = { section: null, nodes: [] };
  for (const node of Array.from(body.childNodes)) {
    const tag = node.nodeType === Node.ELEMENT_NODE ? (node as Element).tagName : '';
    if (tag === 'H1') continue;
    if (tag === 'H2') {
      if (current.section || current.nodes.some((n) => n.textContent?.trim())) parts.push(current);
      const heading = node.textContent?.trim() ?? '';
      const at = unused.findIndex((s) => s.heading === heading);
      const section = at >= 0 ? (unused.splice(at, 1)[0] as SectionRef) : { anchor: `part-${parts.length}`, heading, kind: 'other' as const };
      current = { section, nodes: [] };
    } else {
      current.nodes.push(node);
    }
  }
  if (current.section || current.nodes.some((n) => n.textContent?.trim())) parts.push(current);
  return parts;
}

/** `../l2/dns-resolution-fails.md#fix` → `dns-resolution-fails`: runbooks link to each other by file. */
const RUNBOOK_HREF = /^(?:\.{1,2}\/)*(?:[\w-]+\/)*([a-z0-9][a-z0-9-]*)\.md(?:#[\w-]*)?$/;

function overrides(runbook: RunbookResponse, runbookQuery: string): ElementOverride {
  return (element, children) => {
    const tag = element.tagName;
    if (tag === 'PRE') {
      const lang = /language-([\w+-]+)/.exec(element.querySelector('code')?.getAttribute('class') ?? '')?.[1];
      return <CommandBlock code={element.textContent ?? ''} lang={lang} />;
    }
    if (tag === 'A') {
      const href = element.getAttribute('href') ?? '';
      const id = RUNBOOK_HREF.exec(href)?.[1];
      if (id) return <Link to={{ name: 'runbook', id, q: runbookQuery }}>{children()}</Link>;
      if (href.startsWith('#') && href.length > 1) {
        return (
          <a
            href={formatRoute({ name: 'runbook', id: runbook.id, q: runbookQuery, section: href.slice(1) })}
            onClick={(event) => {
              event.preventDefault();
              scrollToSection(href.slice(1));
            }}
          >
            {children()}
          </a>
        );
      }
    }
    return undefined;
  };
}

function FixSection({ nodes, steps, options, done, onToggle }: { nodes: Node[]; steps: RunbookResponse['steps']; options: RenderOptions; done: ReadonlySet<number>; onToggle: (n: number) => void }) {
  const list = nodes.find((n): n is HTMLOListElement => n.nodeType === Node.ELEMENT_NODE && (n as Element).tagName === 'OL');
  if (!list) {
    return (
      <>
        {renderNodes(nodes, options)}
        {steps.length > 0 && <Checklist items={itemsFromSteps(steps)} done={done} onToggle={onToggle} />}
      </>
    );
  }
  const start = Number(list.getAttribute('start') ?? '1') || 1;
  const items: ChecklistItem[] = Array.from(list.children)
    .filter((li) => li.tagName === 'LI')
    .map((li, i) => ({ n: start + i, content: renderNodes(li.childNodes, options) }));
  return <>{nodes.map((node) => (node === list ? <Checklist items={items} done={done} onToggle={onToggle} /> : renderNodes([node], options)))}</>;
}

function EscalationLead({ runbook }: { runbook: RunbookResponse }) {
  const to = runbook.escalateTo;
  if (!to?.tier && !to?.team) return null;
  return (
    <p class="escalation-lead">
      Escalate to <strong>{[to.tier ? TIER_LABELS[to.tier].short : '', to.team ?? ''].filter(Boolean).join(' · ')}</strong>
    </p>
  );
}

interface Props {
  runbook: RunbookResponse;
  query: string;
  done: ReadonlySet<number>;
  onToggle: (n: number) => void;
}

export function RunbookBody({ runbook, query, done, onToggle }: Props) {
  const parts = useMemo(() => splitSections(parseHtml(runbook.html), runbook.sections), [runbook.html, runbook.sections]);
  const options: RenderOptions = { tags: RUNBOOK_TAGS, override: overrides(runbook, query) };
  const hasEscalationSection = parts.some((p) => p.section?.kind === 'escalation');
  return (
    <div class="runbook-body">
      {parts.map(({ section, nodes }, i) => {
        const kind = section?.kind ?? 'other';
        let content: ComponentChildren = renderNodes(nodes, options);
        if (kind === 'fix') content = <FixSection nodes={nodes} steps={runbook.steps} options={options} done={done} onToggle={onToggle} />;
        return (
          <section key={section?.anchor ?? `intro-${i}`} class={`section section-${kind}`} aria-labelledby={section ? sectionId(section.anchor) : undefined}>
            {section && (
              <h2 id={sectionId(section.anchor)} tabIndex={-1}>
                {section.heading}
              </h2>
            )}
            {kind === 'escalation' && <EscalationLead runbook={runbook} />}
            {content}
          </section>
        );
      })}
      {!hasEscalationSection && runbook.escalateTo && (
        <section class="section section-escalation" aria-labelledby={sectionId('escalation')}>
          <h2 id={sectionId('escalation')} tabIndex={-1}>
            Escalation
          </h2>
          <EscalationLead runbook={runbook} />
        </section>
      )}
    </div>
  );
}
