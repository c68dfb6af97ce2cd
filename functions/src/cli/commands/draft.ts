import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Resolution } from '../../contracts/api.ts';
import { draftFromResolution } from '../../core/resolutions/draft.ts';
import { parse, SERVER_URL_HELP, serverUrl, today } from '../args.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { fetchJson } from './gaps.ts';

/** `kb draft <source>/<ticketId>`: a draft runbook from a written-back resolution. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    url: { type: 'string', value: 'URL', help: SERVER_URL_HELP },
    content: { type: 'string', default: 'content', value: 'DIR', help: 'the content folder to write the draft into' },
  });
  const [source, ticketId] = (positionals[0] ?? '').split('/');
  if (!source || !ticketId) throw new UsageError('a ticket is needed as SOURCE/TICKET, such as jira/HD-4711');
  const resolution = await fetchJson<Resolution>(
    new URL(`/tickets/${encodeURIComponent(source)}/${encodeURIComponent(ticketId)}/resolution`, serverUrl(values.url)).href,
  );
  const draft = draftFromResolution(resolution, today());
  const file = join(values.content, draft.tier, `${draft.id}.md`);
  if (existsSync(file)) throw new CliError(`${file} already exists`, 1);
  await mkdir(join(values.content, draft.tier), { recursive: true });
  await writeFile(file, draft.markdown);
  process.stdout.write(`Drafted ${file} from ${source}/${ticketId}. Finish the TODOs, then: npx kb lint ${file}\n`);
  return 0;
}
