import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import {
  ArtifactFormatError,
  artifactOf,
  decodeArtifact,
  encodeArtifact,
  gunzippedSize,
} from '../../functions/src/adapters/embedded/index-artifact.ts';
import { PublishedRunbookIndex } from '../../functions/src/adapters/embedded/published-runbook-index.ts';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import type { CompiledRunbook } from '../../functions/src/core/runbook/model.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import { l1Runbook, source } from '../helpers/runbooks.ts';

function compiled(id: string, title: string): CompiledRunbook {
  const result = compileRunbook(source(`l1/${id}.md`, l1Runbook(id, { title })));
  if (!result.ok) throw new Error(`${id} did not compile`);
  return result.runbook;
}

const OPTIONS = { builtAt: '2026-12-04T18:30:00.000Z', compilerVersion: 'c1', compileOptions: '{}' };
const plan = (text: string) => planQuery({ text }, NO_SYNONYMS, searchOptions());

async function built(): Promise<EmbeddedRunbookIndex> {
  const index = new EmbeddedRunbookIndex();
  await index.upsert([compiled('vpn-drops', 'VPN drops every few minutes'), compiled('printer-jam', 'Printer jams on every page')]);
  return index;
}

describe('index artifact', () => {
  it('round-trips: the published index finds what the built one finds, with the same runbooks, hashes and counts', async () => {
    // Prepare
    const index = await built();
    const artifact = artifactOf(index.snapshot(), OPTIONS);

    // Act
    const published = new PublishedRunbookIndex(await decodeArtifact(encodeArtifact(artifact)));

    // Assess
    expect(artifact.version).toMatch(/^20261204T183000000Z-[0-9a-f]{8}$/);
    expect(published.version).toBe(artifact.version);
    const ids = async (i: { search: EmbeddedRunbookIndex['search'] }) =>
      (await i.search(plan('printer jams'))).hits.map((h) => h.runbookId);
    expect(await ids(published)).toEqual(await ids(index));
    expect(await published.get(['printer-jam', 'nope'])).toEqual(await index.get(['printer-jam']));
    expect(await published.hashes()).toEqual(await index.hashes());
    expect(await published.stats()).toEqual(await index.stats());
  });

  it('restores a writable index for the content indexer, which then indexes on top of it', async () => {
    const loaded = await decodeArtifact(encodeArtifact(artifactOf((await built()).snapshot(), OPTIONS)));
    const restored = EmbeddedRunbookIndex.restore({ runbooks: loaded.runbooks(), engine: loaded.engine });
    await restored.upsert([compiled('outlook-offline', 'Outlook says working offline')]);
    await restored.remove(['vpn-drops']);
    expect([...(await restored.hashes()).keys()].sort()).toEqual(['outlook-offline', 'printer-jam']);
    expect((await restored.search(plan('outlook offline'))).hits[0]?.runbookId).toBe('outlook-offline');
    expect((await restored.search(plan('vpn drops'))).hits).toEqual([]);
  });

  it('reads the same artifact whatever size the reader allocates up front: the recorded one, too small, none', async () => {
    const bytes = encodeArtifact(artifactOf((await built()).snapshot(), OPTIONS));
    const read = async (size?: number) => {
      const loaded = await decodeArtifact(bytes, size);
      return { header: loaded.header, runbooks: loaded.runbooks() };
    };
    const expected = await read();
    expect(gunzippedSize(bytes)).toBeGreaterThan(bytes.byteLength);
    expect(await read(gunzippedSize(bytes))).toEqual(expected);
    expect(await read(16)).toEqual(expected);
  });

  it('names the version from the content: the same runbooks give the same digest', async () => {
    const a = artifactOf((await built()).snapshot(), OPTIONS).version;
    const b = artifactOf((await built()).snapshot(), OPTIONS).version;
    expect(a).toBe(b);
  });

  it('refuses what is not an artifact with a reason', async () => {
    await expect(decodeArtifact(new TextEncoder().encode('not gzip'))).rejects.toThrow(ArtifactFormatError);
    await expect(decodeArtifact(gzipSync('{"format":"other"}\n{}'))).rejects.toThrow(/is not runbook-kb\/index-artifact@1/);
    await expect(decodeArtifact(gzipSync('{oops'))).rejects.toThrow(/header is not JSON/);
  });
});
