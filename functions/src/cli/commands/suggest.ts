import { startEmbeddedSearch } from '../../local/embedded-platform.ts';
import { intOption, parse, tierOption } from '../args.ts';
import { CliError } from '../cli-error.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    content: { type: 'string', default: 'content' },
    tier: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const text = positionals.join(' ').trim();
  if (!text) throw new CliError('usage: kb suggest "what the user says" [--tier l1] [--content DIR]');
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
    for (const step of s.fix?.steps.slice(0, 3) ?? []) process.stdout.write(`     ${step.n}. ${step.text.slice(0, 100)}\n`);
  });
  const e = result.escalation;
  if (e.recommended) process.stdout.write(`Escalate${e.toTier ? ` to ${e.toTier}` : ''}${e.team ? ` (${e.team})` : ''}: ${e.reason}\n`);
  return 0;
}
