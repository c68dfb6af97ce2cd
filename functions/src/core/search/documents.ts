import type { CompiledRunbook, KcsState, SectionKind, Tier } from '../runbook/model.ts';

/** What every engine indexes: one document per runbook section, so a hit points at a section. */
export interface SectionDoc {
  /** `<runbook id>#<anchor>` */
  id: string;
  runbookId: string;
  anchor: string;
  kind: SectionKind;
  tier: Tier;
  category: string;
  state: KcsState;
  audience: Tier[];
  /** Runbook title, the words of its file name, and its tags: repeated on every section. */
  title: string;
  /** The requester-worded symptoms from frontmatter: repeated on every section. */
  symptoms: string;
  heading: string;
  /** Fix steps' text and commands, on fix sections. */
  steps: string;
  body: string;
  /** The section's opening sentence (see `leadOf`), also part of `body`. */
  lead: string;
}

export function sectionDocId(runbookId: string, anchor: string): string {
  return `${runbookId}#${anchor}`;
}

/** A lead is one sentence; this bounds a "sentence" that never ends (a list, a log excerpt). */
const LEAD_MAX_CHARS = 400;

/**
 * The opening sentence of a text: up to the first `.`, `!` or `?` followed by a space, or the end
 * of the first paragraph. Runbooks, like most technical writing, open a section with what it is
 * about ("This alert fires when fewer etcd members are healthy than needed"). Punctuation and
 * paragraph breaks are all it reads, so any engine can be given the same field at index time.
 *
 * @example leadOf('Pods crash. Check the logs.') // 'Pods crash.'
 */
export function leadOf(text: string): string {
  const paragraph = text.trim().split(/\n\s*\n/)[0] ?? '';
  const sentence = paragraph.match(/^[\s\S]*?[.!?](?=\s|$)/)?.[0] ?? paragraph;
  return sentence.slice(0, LEAD_MAX_CHARS);
}

/**
 * A runbook's section documents. The file name is part of the title field because alert runbooks
 * are named after the alert (`KubePodCrashLooping.md`) and wikis after the topic.
 */
export function sectionDocuments(runbook: CompiledRunbook): SectionDoc[] {
  const { meta } = runbook;
  // The file name names the topic in most libraries (`KubePodCrashLooping.md`, `gitaly-down.md`).
  // Folder names were tried too and made ranking worse: they are shared by many files.
  const fileName = (runbook.path.split('/').pop() ?? '').replace(/\.(md|markdown)$/i, '');
  const title = [meta.title, fileName, ...meta.tags].join(' \n');
  // Docs written before adopting runbook-kb declare no symptoms, but their opening sentence
  // (under "Meaning", "Overview"…) usually states the problem as an alert or a user would: it
  // stands in for the symptoms, repeated on every section like declared ones.
  const opening = meta.symptoms.length === 0 ? leadOf(runbook.sections.find((s) => s.text.trim())?.text ?? '') : '';
  const symptoms = [...meta.symptoms, meta.description ?? '', opening].join(' \n');
  const docs: SectionDoc[] = [];
  for (const section of runbook.sections) {
    const steps = (section.steps ?? []).map((s) => [s.text, ...s.commands.map((c) => c.code)].join(' \n')).join(' \n');
    docs.push({
      id: sectionDocId(runbook.id, section.anchor),
      runbookId: runbook.id,
      anchor: section.anchor,
      kind: section.kind,
      tier: meta.tier,
      category: meta.category ?? '',
      state: meta.state,
      audience: meta.audience,
      title,
      symptoms,
      heading: section.heading,
      steps,
      body: section.kind === 'fix' && steps ? '' : section.text,
      lead: leadOf(section.text),
    });
  }
  if (docs.length === 0) {
    // A runbook with no text under any heading is still findable by its title and symptoms.
    docs.push({
      id: sectionDocId(runbook.id, 'top'),
      runbookId: runbook.id,
      anchor: 'top',
      kind: 'other',
      tier: meta.tier,
      category: meta.category ?? '',
      state: meta.state,
      audience: meta.audience,
      title,
      symptoms,
      heading: meta.title,
      steps: '',
      body: '',
      lead: '',
    });
  }
  return docs;
}

/** Whether a section document passes the plan's filters; shared so every engine filters alike. */
export function passesFilters(
  doc: Pick<SectionDoc, 'tier' | 'category' | 'state' | 'audience'>,
  filters: {
    tiers?: readonly string[];
    categories?: readonly string[];
    states?: readonly string[];
    audience?: Tier;
  },
): boolean {
  if (filters.tiers && filters.tiers.length > 0 && !filters.tiers.includes(doc.tier)) return false;
  if (filters.categories && filters.categories.length > 0 && !filters.categories.includes(doc.category)) return false;
  if (filters.states && filters.states.length > 0 && !filters.states.includes(doc.state)) return false;
  if (filters.audience && !doc.audience.includes(filters.audience)) return false;
  return true;
}
