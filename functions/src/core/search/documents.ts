import type { CompiledRunbook, KcsState, Tier } from '../runbook/model.ts';

/**
 * What every engine indexes: one document per runbook, its text grouped into fields by the role
 * it plays. Section-level documents were measured too (alerts MRR@10 0.868 against 0.854 here)
 * but cost 4.5× the query time at 10,000 runbooks in the embedded engine (31 ms against 7 ms a
 * query), because every section repeats the title and symptoms postings; the best section of a
 * hit is picked afterwards, in the core (best-section.ts), so a hit still points at its section.
 */
export interface SearchDoc {
  /** The runbook id. */
  id: string;
  tier: Tier;
  category: string;
  state: KcsState;
  audience: Tier[];
  /** Runbook title, the words of its file name, and its tags. */
  title: string;
  /** The requester-worded symptoms, or a stand-in (see `searchDocument`). */
  symptoms: string;
  /** Every section heading, and each section's opening sentence (see `leadOf`). */
  heading: string;
  /** Fix steps' text and commands. */
  steps: string;
  /** Every other section's text. */
  body: string;
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
 * A runbook's search document. The file name is part of the title because alert runbooks are
 * named after the alert (`KubePodCrashLooping.md`) and wikis after the topic.
 */
export function searchDocument(runbook: CompiledRunbook): SearchDoc {
  const { meta } = runbook;
  // Folder names were tried in the title too and made ranking worse: many files share them.
  const fileName = (runbook.path.split('/').pop() ?? '').replace(/\.(md|markdown)$/i, '');
  // Docs written before adopting runbook-kb declare no symptoms, but their opening sentence
  // (under "Meaning", "Overview"…) usually states the problem as an alert or a user would.
  const opening = meta.symptoms.length === 0 ? leadOf(runbook.sections.find((s) => s.text.trim())?.text ?? '') : '';
  const steps: string[] = [];
  const body: string[] = [];
  for (const section of runbook.sections) {
    const sectionSteps = (section.steps ?? []).flatMap((s) => [s.text, ...s.commands.map((c) => c.code)]);
    if (section.kind === 'fix' && sectionSteps.length > 0) steps.push(...sectionSteps);
    else body.push(section.text);
  }
  return {
    id: runbook.id,
    tier: meta.tier,
    category: meta.category ?? '',
    state: meta.state,
    audience: meta.audience,
    title: [meta.title, fileName, ...meta.tags].join(' \n'),
    symptoms: [...meta.symptoms, meta.description ?? '', opening].join(' \n'),
    // A section's opening sentence says what it is about ("This alert fires when…"), like its
    // heading; it shares the heading's weight (a separate field ranked the same and cost a sixth
    // more query time).
    heading: [...runbook.sections.map((s) => s.heading), ...runbook.sections.map((s) => leadOf(s.text))].join(' \n'),
    steps: steps.join(' \n'),
    body: body.join(' \n'),
  };
}

/** Whether a document passes the plan's filters; shared so every engine filters alike. */
export function passesFilters(
  doc: Pick<SearchDoc, 'tier' | 'category' | 'state' | 'audience'>,
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

/**
 * Characters of a runbook given to the embedding model, about 90 tokens: what a runbook is about
 * comes first, and the rest blurs it. Measured (MRR@10 vague / starter / alerts): 700 characters
 * 0.561 / 0.996 / 0.873, 450 0.572 / 1.000 / 0.882, 300 0.571 / 1.000 / 0.856; fewer tokens also
 * make the index build faster, the model's cost growing with every token.
 */
const EMBEDDING_MAX_CHARS = 450;

/**
 * What a runbook's meaning vector is computed from: what it is about and how people describe the
 * problem (title, symptoms as requesters word them, description), then each section's opening
 * sentence. Fix steps are left out: they say what to do, and tickets say what is wrong.
 *
 * @example embeddingText(runbook) // 'OneDrive is not syncing. onedrive not syncing. files stuck on sync pending. …'
 */
function embeddingText(runbook: CompiledRunbook): string {
  const { meta } = runbook;
  const opening = meta.symptoms.length === 0 ? leadOf(runbook.sections.find((s) => s.text.trim())?.text ?? '') : '';
  const leads = runbook.sections.filter((s) => s.kind !== 'fix').map((s) => leadOf(s.text));
  const parts = [meta.title, ...meta.symptoms, meta.description ?? '', opening, ...leads];
  return parts
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .map((p) => (/[.!?]$/.test(p) ? p : `${p}.`))
    .join(' ')
    .slice(0, EMBEDDING_MAX_CHARS);
}

/** Phrase vectors kept per runbook besides its main one: bounds the scan and the memory (384 floats each). */
const MAX_PHRASES = 12;

/**
 * Share of a runbook's similarity that comes from its closest symptom phrase rather than its main
 * text (see `embeddingTexts`). A ticket usually names one symptom, in words close to one phrase,
 * and that phrase is drowned out in the main text; the main text keeps the runbook's topic in play.
 * Fused MRR@10 (vague / starter / alerts) from 0.572 / 1.000 / 0.882 with the main text alone:
 * 0.3 of the phrase 0.598 / – / 0.882; 0.4 0.601 / 1.000 / 0.882; 0.55 0.609 / – / 0.882 (runs
 * then differed by up to ±0.02, put down to batching; vectors batched and alone have since
 * measured the same to six decimals, 2026-12-05). The
 * Symptoms section's lines as further phrases lifted the vague set to 0.612 but dropped the alerts
 * to 0.869: alert runbooks of one family share near-identical paragraphs, and their closest phrase
 * no longer tells them apart. Re-measured once every runbook had requester phrasings (2026-12-04):
 * 0.4 0.725 / 1.000 / 0.882, 0.5 0.740 / 1.000 / 0.882 (each half of the vague set up: 0.807 →
 * 0.822, 0.643 → 0.657), 0.6 0.738, 0.7 0.736; the alert runbooks declare no symptoms, so the
 * weight cannot move them.
 */
export const PHRASE_WEIGHT = 0.5;

/**
 * The texts of a runbook's meaning vectors: first its main text (`embeddingText`), then each
 * symptom its frontmatter declares, on its own, as requesters word them.
 *
 * @example embeddingTexts(runbook) // ['OneDrive is not syncing. onedrive not syncing. …', 'onedrive not syncing', 'files stuck on sync pending', …]
 */
export function embeddingTexts(runbook: CompiledRunbook): string[] {
  // Symptoms inferred from a foreign page's description are already the main text's opening: a
  // vector of their own would double the embedding work (2,449 support articles: 42 → 97 s) and
  // the scan for nothing the main vector lacks.
  if (runbook.inferred.includes('symptoms')) return [embeddingText(runbook)];
  const seen = new Set<string>();
  const phrases: string[] = [];
  for (const raw of runbook.meta.symptoms) {
    const phrase = raw.trim().replace(/\s+/g, ' ').slice(0, EMBEDDING_MAX_CHARS);
    const key = phrase.toLowerCase();
    // A phrase of a few characters (a bare code, a stray word) says nothing a model can place.
    if (phrase.length < 10 || seen.has(key)) continue;
    seen.add(key);
    phrases.push(phrase);
    if (phrases.length === MAX_PHRASES) break;
  }
  return [embeddingText(runbook), ...phrases];
}
