import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Resolution } from '../../contracts/api.ts';
import { draftFromResolution } from '../../core/resolutions/draft.ts';
import { parse, today } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { fetchJson } from './gaps.ts';

/** `kb draft <source>/<ticketId>`: a draft runbook from a written-back resolution. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    url: { type: 'string', default: 'http://localhost:3000' },
    content: { type: 'string', default: 'content' },
  });
  const [source, ticketId] = (positionals[0] ?? '').split('/');
  if (!source || !ticketId) throw new CliError('usage: kb draft <source>/<ticketId> [--url URL] [--content DIR]');
  const resolution = await fetchJson<Resolution>(
    new URL(`/tickets/${encodeURIComponent(source)}/${encodeURIComponent(ticketId)}/resolution`, values.url).href,
  );
  const draft = draftFromResolution(resolution, today());
  const file = join(values.content, draft.tier, `${draft.id}.md`);
  if (existsSync(file)) throw new CliError(`${file} already exists`, 1);
  await mkdir(join(values.content, draft.tier), { recursive: true });
  await writeFile(file, draft.markdown);
  process.stdout.write(`Drafted ${file} from ${source}/${ticketId}. Finish the TODOs, then: npx kb lint ${file}\n`);
  return 0;
}
