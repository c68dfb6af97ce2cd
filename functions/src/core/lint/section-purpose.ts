import type { SectionKind } from '../runbook/model.ts';

/** How each required section is written, as a heading and what it says: the hint for a missing or empty one. */
export const SECTION_PURPOSE: Partial<Record<SectionKind, { heading: string; says: string }>> = {
  symptoms: { heading: 'Symptoms', says: 'what the requester sees or says, one line each' },
  cause: { heading: 'Cause', says: 'why it happens, in a sentence or two' },
  fix: { heading: 'Fix', says: 'an ordered list, one action per step, commands in fenced blocks' },
  verify: { heading: 'Verify', says: 'how the agent and the user confirm it is fixed' },
  rollback: { heading: 'Rollback', says: 'how to undo the fix if it makes things worse' },
  escalation: { heading: 'Escalation', says: 'when to escalate, and to which tier and team' },
};
