import { escalationHeadline } from '../../core/suggest/note.ts';
import { shorten } from '../../core/text/shorten.ts';
import { startEmbeddedSearch } from '../../local/embedded-platform.ts';
import { intOption, parse, tierOption } from '../args.ts';
import { UsageError } from '../cli-error.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    content: { type: 'string', default: 'content', value: 'DIR', help: 'the content folder to search' },
    tier: { type: 'string', value: 'TIER', help: "the requester's tier: l1, l2, l3 or infra" },
    limit: { type: 'string', value: 'N', help: 'how many suggestions, 1–20 (default: 5)' },
    json: { type: 'boolean', default: false, help: 'print the API answer as JSON' },
  });
  const text = positionals.join(' ').trim();
  if (!text) throw new UsageError('the ticket text is needed: kb suggest "vpn wont connect from home"');
  const requesterTier = tierOption(values.tier, '--tier');
  const limit = Math.min(20, Math.max(1, intOption(values.limit, '--limit', 5)));
  const platform = await startEmbeddedSearch(values.content);
  const result = await platform.search.suggest({ subject: text.slice(0, 500), limit, ...(requesterTier ? { requesterTier } : {}) });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  if (result.suggestions.length === 0) process.stdout.write('No runbook matches.\n');
  result.suggestions.forEach((s, i) => {
    process.stdout.write(`${i + 1}. ${s.title}  [${s.tier}, confidence ${s.confidence.toFixed(2)}]  ${s.path}#${s.section.anchor}\n`);
    for (const step of s.fix?.steps.slice(0, 3) ?? []) process.stdout.write(`     ${step.n}. ${shorten(step.text, 100)}\n`);
  });
  const e = result.escalation;
  if (e.recommended) {
    process.stdout.write(`${escalationHeadline(e)}${e.runbook ? `  ${e.runbook.tier}/${e.runbook.id}` : ''}\n  Why: ${e.reason}\n`);
  }
  return 0;
}
