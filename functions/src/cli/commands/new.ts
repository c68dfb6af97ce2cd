import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runbookTemplate, slugify } from '../../core/runbook/template.ts';
import { parse, tierOption, today } from '../args.ts';
import { CliError } from '../cli-error.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    tier: { type: 'string' },
    content: { type: 'string', default: 'content' },
  });
  const title = positionals.join(' ').trim();
  const tier = tierOption(values.tier, '--tier');
  if (!tier || !title) throw new CliError('usage: kb new --tier l1|l2|l3|infra "Title of the problem"');
  const file = join(values.content, tier, `${slugify(title)}.md`);
  if (existsSync(file)) throw new CliError(`${file} already exists`, 1);
  await mkdir(join(values.content, tier), { recursive: true });
  await writeFile(file, runbookTemplate(tier, title, today()));
  process.stdout.write(`Created ${file}\nFill in the sections, set the category, then run: npx kb lint ${file}\n`);
  return 0;
}
