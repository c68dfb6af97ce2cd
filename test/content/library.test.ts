import { describe, expect, it } from 'vitest';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { loadLibrary } from '../../functions/src/app/load-library.ts';
import { TIERS } from '../../functions/src/core/runbook/model.ts';
import { parseSynonyms } from '../../functions/src/core/search/synonyms.ts';
import { kb } from '../helpers/cli.ts';
import { CONTENT } from '../helpers/runbooks.ts';

describe('the starter library in content/', () => {
  it('passes kb lint with no errors', () => {
    const { status, stdout } = kb('lint', 'content', '--quiet');
    expect(stdout).toBe('');
    expect(status).toBe(0);
  });

  it('has at least 12 runbooks per tier and 48 in all, each in its tier folder', async () => {
    const library = await loadLibrary(new FsContentSource(CONTENT));
    expect(library.failures).toEqual([]);
    expect(library.runbooks.length).toBeGreaterThanOrEqual(48);
    for (const tier of TIERS) {
      const inTier = library.runbooks.filter((r) => r.meta.tier === tier);
      expect(inTier.length, tier).toBeGreaterThanOrEqual(12);
      expect(inTier.every((r) => r.path.startsWith(`${tier}/`))).toBe(true);
    }
  });

  it('puts every fix command in a fenced block with a language', async () => {
    const library = await loadLibrary(new FsContentSource(CONTENT));
    const commands = library.runbooks.flatMap((r) => r.steps.flatMap((s) => s.commands.map((c) => [r.id, c.lang])));
    expect(commands.length).toBeGreaterThan(100);
    expect(commands.filter(([, lang]) => !lang)).toEqual([]);
  });

  it('has synonyms that parse without errors', async () => {
    const text = new TextDecoder().decode(await new FsContentSource(CONTENT).readOptional('synonyms.txt'));
    const { set, errors } = parseSynonyms(text);
    expect(errors).toEqual([]);
    expect(set.rules.length).toBeGreaterThan(50);
  });
});
