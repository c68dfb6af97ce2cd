import type { SectionKind } from './model.ts';

/**
 * Heading names that mark each kind of section, lowercase. A heading is of a kind when it equals
 * one of these or starts with one followed by a word ("Resolution for Outlook 2016").
 * Chosen from runbook-kb's own contract plus what wikis, MkDocs sites, alert runbooks
 * (Meaning / Impact / Diagnosis / Mitigation) and vendor support articles
 * (Symptoms / Cause / Resolution / Workaround / More information) use.
 */
export const SECTION_ALIASES: Record<Exclude<SectionKind, 'other'>, readonly string[]> = {
  symptoms: [
    'symptoms',
    'symptom',
    'problem',
    'issue',
    'issues',
    'signs',
    'impact',
    'overview',
    'summary',
    'description',
    'meaning',
    'what you see',
  ],
  cause: ['cause', 'causes', 'root cause', 'why this happens', 'reason'],
  diagnosis: [
    'diagnosis',
    'diagnose',
    'troubleshooting',
    'troubleshoot',
    'investigation',
    'investigate',
    'triage',
    'checks',
    'debugging',
    'debug',
  ],
  fix: [
    'fix',
    'resolution',
    'resolve',
    'solution',
    'solutions',
    'mitigation',
    'mitigate',
    'workaround',
    'workarounds',
    'remediation',
    'steps',
    'procedure',
    'how to fix',
    'to resolve',
    'to fix',
    'recovery',
    'method',
  ],
  verify: ['verify', 'verification', 'validate', 'validation', 'confirm', 'check the fix', 'testing'],
  rollback: ['rollback', 'roll back', 'back out', 'backout', 'revert'],
  escalation: ['escalation', 'escalate', 'when to escalate', 'escalation path'],
};

const ENTRIES = Object.entries(SECTION_ALIASES) as [Exclude<SectionKind, 'other'>, readonly string[]][];

/** The kind of section a heading names; `other` when it names none. */
export function sectionKind(heading: string): SectionKind {
  const name = heading
    .toLowerCase()
    .replace(/^[\d.)\s]+/, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const [kind, aliases] of ENTRIES) {
    for (const alias of aliases) {
      if (name === alias || name.startsWith(`${alias} `)) return kind;
    }
  }
  return 'other';
}

/** Sections each tier must have; see content/README.md ("Sections"). */
export const REQUIRED_SECTIONS: Record<string, readonly SectionKind[]> = {
  l1: ['symptoms', 'fix', 'verify', 'escalation'],
  l2: ['symptoms', 'cause', 'fix', 'verify', 'escalation'],
  l3: ['symptoms', 'cause', 'fix', 'verify', 'rollback', 'escalation'],
  infra: ['symptoms', 'cause', 'fix', 'verify', 'rollback', 'escalation'],
};
