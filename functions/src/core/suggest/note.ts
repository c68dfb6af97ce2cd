import type { LinkedSuggestion, SuggestAnswer, SuggestNote, SuggestResponse } from '../../contracts/api.ts';
import { DEFAULT_SEARCH_OPTIONS } from '../search/options.ts';

/**
 * The note a ticket system pastes into a new ticket: what an agent opening the ticket needs first
 * (the top fix, its steps, how sure we are, where to read it, whether to escalate), in plain text
 * for fields that render none and in Markdown for those that do.
 */

/** The web app's levels (web/src/suggest/suggest-results.tsx): the note says what the agent will see. */
export const CONFIDENCE_LEVELS = [
  { min: DEFAULT_SEARCH_OPTIONS.confidentAt, label: 'high' },
  { min: DEFAULT_SEARCH_OPTIONS.partialAt, label: 'medium' },
  { min: 0, label: 'low' },
] as const;

/** Other matches listed under the top fix: enough to choose, short enough for a ticket note. */
const OTHERS_SHOWN = 2;

export const confidenceLabel = (confidence: number): string => CONFIDENCE_LEVELS.find((l) => confidence >= l.min)?.label ?? 'low';

/**
 * Where the web app shows a runbook at a section: its hash route, `#/runbook/<id>?section=<anchor>`
 * (web/src/state/route.ts), so the link works from any static host.
 *
 * @example runbookUrl('https://kb.example.com/', 'vpn-client-wont-connect', 'fix')
 * // → 'https://kb.example.com/#/runbook/vpn-client-wont-connect?section=fix'
 */
export function runbookUrl(webBase: string, id: string, anchor?: string): string {
  const query = anchor ? `?${new URLSearchParams({ section: anchor })}` : '';
  return `${webBase.replace(/\/+$/, '')}/#/runbook/${encodeURIComponent(id)}${query}`;
}

/** Each suggestion with the web link of its fix (or best) section. */
export function linkSuggestions(response: SuggestResponse, webBase: string): LinkedSuggestion[] {
  return response.suggestions.map((s) => ({ ...s, url: runbookUrl(webBase, s.id, s.fix?.anchor ?? s.section.anchor) }));
}

const pct = (confidence: number) => `${Math.round(confidence * 100)}%`;

/**
 * "Escalate to Windows Infrastructure (queue WIN-L3) (L3): open DHCP scope exhausted" and why, or
 * why not: the queue to assign and the runbook that tier should open come first, the reason after.
 */
export function escalationHeadline(escalation: SuggestResponse['escalation']): string {
  if (!escalation.recommended) return 'No need to escalate yet';
  const tier = escalation.toTier?.toUpperCase();
  const target = escalation.team ? `${escalation.team}${tier ? ` (${tier})` : ''}` : tier;
  const open = escalation.runbook ? `: open ${escalation.runbook.title}` : '';
  return `Escalate${target ? ` to ${target}` : ''}${open}`;
}

function escalationLine(escalation: SuggestResponse['escalation']): string {
  return escalation.recommended
    ? `${escalationHeadline(escalation)}. Why: ${escalation.reason}`
    : `No need to escalate yet: ${escalation.reason}`;
}

/** Markdown's inline specials, escaped so a title like `C:\Users\*` prints as written. */
const md = (text: string) => text.replace(/([\\`*_[\]<>#|])/g, '\\$1');

/**
 * A low-confidence match is offered as a link to check, not as steps to follow: pasted into a
 * ticket, steps read as the answer. Escalation advice comes first when it is the advice.
 */
const stepsWorthShowing = (top: LinkedSuggestion) => confidenceLabel(top.confidence) !== 'low' && (top.fix?.steps.length ?? 0) > 0;
const heading = (top: LinkedSuggestion) =>
  confidenceLabel(top.confidence) === 'low' ? 'Closest runbook (check it fits first)' : 'Top fix';

function plainText(top: LinkedSuggestion | undefined, others: LinkedSuggestion[], escalation: SuggestAnswer['escalation']): string {
  const lines = ['runbook-kb suggestion'];
  if (escalation.recommended) lines.push(escalationLine(escalation), ...(escalation.runbook?.url ? [escalation.runbook.url] : []), '');
  if (!top) {
    lines.push('No runbook matches this ticket at this tier.');
  } else {
    lines.push(`${heading(top)}: ${top.title} (${pct(top.confidence)} confidence, ${confidenceLabel(top.confidence)})`, top.url);
    if (top.fix && stepsWorthShowing(top)) {
      lines.push('', `${top.fix.heading}:`);
      for (const step of top.fix.steps) {
        lines.push(`${step.n}. ${step.text}`);
        for (const command of step.commands) lines.push(...command.code.split('\n').map((line) => `     ${line}`));
      }
    }
  }
  if (!escalation.recommended) lines.push('', escalationLine(escalation));
  if (others.length > 0) {
    lines.push('', 'Also possible:');
    for (const o of others) lines.push(`- ${o.title} (${pct(o.confidence)}): ${o.url}`);
  }
  return lines.join('\n');
}

/** The escalation in Markdown, its runbook a link when the answer has its URL. */
function escalationMarkdown(escalation: SuggestAnswer['escalation']): string {
  const line = md(escalationLine(escalation));
  const { runbook } = escalation;
  if (!runbook?.url) return `**${line}**`;
  const title = md(runbook.title);
  return `**${line.replace(`open ${title}`, `open [${title}](${runbook.url})`)}**`;
}

function markdown(top: LinkedSuggestion | undefined, others: LinkedSuggestion[], escalation: SuggestAnswer['escalation']): string {
  const lines: string[] = [];
  if (escalation.recommended) lines.push(escalationMarkdown(escalation), '');
  if (!top) {
    lines.push('**No runbook matches this ticket at this tier.**');
  } else {
    lines.push(
      `**${heading(top)}:** [${md(top.title)}](${top.url}) — ${pct(top.confidence)} confidence (${confidenceLabel(top.confidence)})`,
    );
    if (top.fix && stepsWorthShowing(top)) {
      lines.push('', `**${md(top.fix.heading)}**`, '');
      for (const step of top.fix.steps) {
        lines.push(`${step.n}. ${md(step.text)}`);
        // Fenced and indented under the step, so the command keeps its list number and copies as is.
        for (const command of step.commands) {
          const fence = command.code.includes('```') ? '~~~' : '```';
          lines.push(`   ${fence}${command.lang}`, ...command.code.split('\n').map((line) => `   ${line}`), `   ${fence}`);
        }
      }
    }
  }
  if (!escalation.recommended) lines.push('', escalationMarkdown(escalation));
  if (others.length > 0) {
    lines.push('', 'Also possible:', ...others.map((o) => `- [${md(o.title)}](${o.url}) — ${pct(o.confidence)}`));
  }
  return lines.join('\n');
}

/** The last line of a note written while the knowledge base matched by words alone (a large library just started). */
const WORDS_ONLY = 'Matched by words only: the knowledge base was still reading its runbooks. Ask again in a few minutes if this misses.';

/**
 * The ready note for a ticket, from the ranked suggestions with their links.
 *
 * @example suggestNote({ ...response, suggestions: linkSuggestions(response, 'https://kb.example.com') }).text
 * // 'runbook-kb suggestion\nTop fix: VPN client will not connect (82% confidence, high)\nhttps://kb…'
 */
export function suggestNote(response: Omit<SuggestAnswer, 'note'>): SuggestNote {
  const [top, ...rest] = response.suggestions;
  const others = rest.slice(0, OTHERS_SHOWN);
  const text = plainText(top, others, response.escalation);
  const marked = markdown(top, others, response.escalation);
  // A note stays in the ticket: one written while meaning was not yet in play says so for good.
  if (!response.wordsOnly) return { text, markdown: marked };
  return { text: `${text}\n\n${WORDS_ONLY}`, markdown: `${marked}\n\n_${WORDS_ONLY}_` };
}

/** The published answer of `POST /suggest`: links on every suggestion and the note. */
export function withNote(response: SuggestResponse, webBase: string): SuggestAnswer {
  const { runbook } = response.escalation;
  const escalation = runbook
    ? { ...response.escalation, runbook: { ...runbook, url: runbookUrl(webBase, runbook.id) } }
    : response.escalation;
  const linked = { ...response, escalation, suggestions: linkSuggestions(response, webBase) };
  return { ...linked, note: suggestNote(linked) };
}
