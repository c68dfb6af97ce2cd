import { describe, expect, it } from 'vitest';
import type { Suggestion, SuggestResponse } from '../../functions/src/contracts/api.ts';
import { runbookUrl, withNote } from '../../functions/src/core/suggest/note.ts';

const WEB = 'https://kb.example.com/';

const suggestion = (id: string, confidence: number): Suggestion => ({
  id,
  path: `l1/${id}.md`,
  title: `Title of ${id}`,
  tier: 'l1',
  state: 'validated',
  score: confidence,
  confidence,
  section: { anchor: 'symptoms', heading: 'Symptoms', kind: 'symptoms' },
  fix: {
    anchor: 'fix',
    heading: 'Fix',
    steps: [
      { n: 1, text: 'Restart the *client*.', commands: [{ lang: 'powershell', code: 'Restart-Service -Name PanGPS' }] },
      { n: 2, text: 'Reinstall it.', commands: [] },
    ],
  },
  why: [],
  stale: false,
});

const answer = (suggestions: Suggestion[], escalation: SuggestResponse['escalation']): SuggestResponse => ({
  suggestions,
  escalation,
  similarResolutions: [],
  tookMs: 1,
});
const stay = { recommended: false, reason: 'a confident match' };
const escalate = { recommended: true, toTier: 'l2' as const, team: 'network-team', reason: 'only an L2 runbook fits' };

describe('runbookUrl', () => {
  it("is the web app's hash route at the section, whatever the base's trailing slash", () => {
    expect(runbookUrl(WEB, 'vpn-client-wont-connect', 'fix')).toBe('https://kb.example.com/#/runbook/vpn-client-wont-connect?section=fix');
    expect(runbookUrl('https://kb.example.com/app', 'x', 'step-2')).toBe('https://kb.example.com/app/#/runbook/x?section=step-2');
  });
});

describe('the note for a ticket', () => {
  it('gives a confident top fix with its steps, commands, link and the advice not to escalate', () => {
    const { note, suggestions } = withNote(answer([suggestion('vpn', 0.9), suggestion('wifi', 0.3)], stay), WEB);
    expect(suggestions.map((s) => s.url)).toEqual([`${WEB}#/runbook/vpn?section=fix`, `${WEB}#/runbook/wifi?section=fix`]);
    expect(note.text.split('\n').slice(0, 3)).toEqual([
      'runbook-kb suggestion',
      'Top fix: Title of vpn (90% confidence, high)',
      `${WEB}#/runbook/vpn?section=fix`,
    ]);
    expect(note.text).toContain('1. Restart the *client*.\n     Restart-Service -Name PanGPS\n2. Reinstall it.');
    expect(note.text).toContain('No need to escalate yet: a confident match');
    expect(note.text).toContain(`- Title of wifi (30%): ${WEB}#/runbook/wifi?section=fix`);
    expect(note.markdown).toContain(`**Top fix:** [Title of vpn](${WEB}#/runbook/vpn?section=fix) — 90% confidence (high)`);
    expect(note.markdown).toContain('1. Restart the \\*client\\*.\n   ```powershell\n   Restart-Service -Name PanGPS\n   ```');
  });

  it('leads with the escalation and offers a weak match as a link to check, without steps to follow', () => {
    const { note } = withNote(answer([suggestion('password-reset', 0.16)], escalate), WEB);
    const lines = note.text.split('\n');
    expect(lines[1]).toBe('Escalate to network-team (L2). Why: only an L2 runbook fits');
    expect(note.text).toContain('Closest runbook (check it fits first): Title of password-reset (16% confidence, low)');
    expect(note.text).not.toContain('Restart the');
    expect(note.markdown.startsWith('**Escalate to network-team (L2). Why: only an L2 runbook fits**')).toBe(true);
  });

  it('names the queue and links the runbook the next tier should open', () => {
    const handoff = {
      recommended: true,
      toTier: 'l3' as const,
      team: 'Windows Infrastructure (queue WIN-L3)',
      runbook: { id: 'dhcp-scope-exhausted', title: 'DHCP scope exhausted or DHCP failover broken', tier: 'l3' as const },
      reason: 'No confident match for L1, but the ticket says a whole site (“whole 2nd floor”): likely an outage',
    };
    const { note, escalation } = withNote(answer([suggestion('wifi', 0.5)], handoff), WEB);
    expect(escalation.runbook?.url).toBe(`${WEB}#/runbook/dhcp-scope-exhausted`);
    expect(note.text.split('\n').slice(1, 3)).toEqual([
      'Escalate to Windows Infrastructure (queue WIN-L3) (L3): open DHCP scope exhausted or DHCP failover broken. Why: No confident match for L1, but the ticket says a whole site (“whole 2nd floor”): likely an outage',
      `${WEB}#/runbook/dhcp-scope-exhausted`,
    ]);
    expect(note.markdown).toContain(
      `**Escalate to Windows Infrastructure (queue WIN-L3) (L3): open [DHCP scope exhausted or DHCP failover broken](${WEB}#/runbook/dhcp-scope-exhausted). Why:`,
    );
  });

  it('ends with a warning when the answer matched by words only, and only then', () => {
    const byWords = withNote({ ...answer([suggestion('vpn', 0.9)], stay), wordsOnly: true }, WEB).note;
    expect(byWords.text.split('\n').at(-1)).toMatch(/^Matched by words only: the knowledge base was still reading its runbooks\./);
    expect(byWords.markdown.split('\n').at(-1)).toMatch(/^_Matched by words only: .*_$/);
    expect(withNote(answer([suggestion('vpn', 0.9)], stay), WEB).note.text).not.toContain('words only');
  });

  it('says plainly that nothing matches', () => {
    const { note } = withNote(answer([], escalate), WEB);
    expect(note.text).toContain('No runbook matches this ticket at this tier.');
    expect(note.markdown).toContain('**No runbook matches this ticket at this tier.**');
  });
});
