import { describe, expect, it } from 'vitest';
import { formatGapReport } from '../../functions/src/cli/commands/gaps-report.ts';
import type { GapReport } from '../../functions/src/contracts/api.ts';

const empty: GapReport = {
  zeroResultSearches: [],
  ticketsWithoutRunbook: [],
  noGoodMatch: [],
  problemRunbooks: [],
  linkRate: 0,
  reuse: [],
};

describe('kb gaps', () => {
  it('leads with the no-good-answer groups: count, wording, how the count splits by reason, other wordings and tickets', () => {
    // Prepare: a search and a closed ticket saying the same thing, as the gap report groups them.
    const report: GapReport = {
      ...empty,
      noGoodMatch: [
        {
          label: 'teams shows offline',
          count: 7,
          examples: ['teams shows offline', 'Teams shows me offline', 'teams status stuck on offline'],
          tickets: ['jira/HD-1', 'zendesk/812'],
          reasons: { 'no-good-match': 3, 'not-helpful': 2, 'no-runbook': 2 },
        },
        { label: 'monitor flickers when docked', count: 1, examples: ['monitor flickers when docked'], reasons: { 'no-runbook': 1 } },
      ],
    };

    // Act
    const text = formatGapReport(report);

    // Assess
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^No good answer, by what was asked/);
    expect(lines.slice(1, 5)).toEqual([
      '     7  teams shows offline  (3 no good match · 2 not helpful · 2 closed without a runbook)',
      '        also: "Teams shows me offline"; "teams status stuck on offline"',
      '        tickets: jira/HD-1, zendesk/812',
      '     1  monitor flickers when docked  (1 closed without a runbook)',
    ]);
  });

  it('says "(none)" for each empty section, and still prints the link rate', () => {
    const text = formatGapReport({ ...empty, linkRate: 0.5 });
    expect(text.match(/\(none\)/g)).toHaveLength(5);
    expect(text).toContain('Link rate: 50.0% of fixed tickets name their runbook');
  });
});
