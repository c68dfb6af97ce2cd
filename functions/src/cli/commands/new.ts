import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FsContentSource } from '../../adapters/fs/fs-content-source.ts';
import { loadLibrary } from '../../app/load-library.ts';
import { runbookTemplate, slugify } from '../../core/runbook/template.ts';
import { parse, tierOption, today } from '../args.ts';
import { CliError, UsageError } from '../cli-error.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** id → path of every runbook in the library, whatever its tier; empty for a folder not made yet. */
async function existingIds(content: string): Promise<Map<string, string>> {
  if (!existsSync(content)) return new Map();
  const library = await loadLibrary(new FsContentSource(content));
  return new Map(library.runbooks.map((r) => [r.id, r.path]));
}

/** A free id to offer instead of a taken one: the tier as a suffix, else a number. */
function freeId(id: string, tier: string, taken: ReadonlyMap<string, string>): string {
  for (const candidate of [`${id}-${tier}`, ...Array.from({ length: 8 }, (_, i) => `${id}-${i + 2}`)]) {
    if (!taken.has(candidate)) return candidate;
  }
  return `${id}-${Date.now()}`;
}

/**
 * `kb new --tier TIER "Title"`: a runbook scaffold in `content/<tier>/<id>.md`. Ids are unique
 * across tiers (links, feedback and resolutions point at them), so a taken one is refused with a
 * free alternative to pass as `--id`.
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    tier: { type: 'string', value: 'l1|l2|l3|infra', help: 'who follows the runbook; picks its folder and required sections' },
    id: { type: 'string', value: 'ID', help: "the runbook's id and file name (default: the title as a slug)" },
    content: { type: 'string', default: 'content', value: 'DIR', help: 'the content folder' },
  });
  const title = positionals.join(' ').trim();
  const tier = tierOption(values.tier, '--tier');
  if (!tier || !title) throw new UsageError('--tier and a title are needed: kb new --tier l1 "Outlook keeps asking for the password"');
  const id = values.id ?? slugify(title);
  if (!SLUG.test(id)) throw new UsageError(`--id must be a slug of a-z, 0-9 and dashes, such as vpn-client-fails (got "${id}")`);

  const taken = await existingIds(values.content);
  const clash = taken.get(id);
  if (clash) {
    throw new CliError(
      `id "${id}" is already used by ${join(values.content, clash)}; ids are unique across tiers. Choose another, e.g. --id ${freeId(id, tier, taken)}`,
      1,
    );
  }
  const file = join(values.content, tier, `${id}.md`);
  if (existsSync(file)) throw new CliError(`${file} already exists; choose another id with --id`, 1);
  await mkdir(join(values.content, tier), { recursive: true });
  await writeFile(file, runbookTemplate(tier, title, today(), id));
  process.stdout.write(
    `Created ${file}\nReplace the prompts and placeholders (kb lint fails until you do), then run: npx kb lint ${file}\n`,
  );
  return 0;
}
