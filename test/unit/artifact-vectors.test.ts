import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { ArtifactFormatError, artifactOf, decodeArtifact, encodeArtifact } from '../../functions/src/adapters/embedded/index-artifact.ts';
import { PublishedRunbookIndex } from '../../functions/src/adapters/embedded/published-runbook-index.ts';
import { ReusedVectors } from '../../functions/src/adapters/embedded/reused-vectors.ts';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import type { CompiledRunbook } from '../../functions/src/core/runbook/model.ts';
import { embeddingTexts } from '../../functions/src/core/search/documents.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery } from '../../functions/src/core/search/plan.ts';
import { NO_SYNONYMS } from '../../functions/src/core/search/synonyms.ts';
import type { Embedder } from '../../functions/src/ports/embedder.ts';
import { l1Runbook, source } from '../helpers/runbooks.ts';

/** A stand-in model: each word adds to a dimension picked by its hash; unit length. Counts what it embeds. */
function wordModel(id = 'words-64', dimension = 64): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    modelId: id,
    dimension,
    texts,
    async embed(batch) {
      texts.push(...batch);
      return batch.map((text) => {
        const v = new Float32Array(dimension);
        for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
          const k = (createHash('md5').update(word).digest()[0] as number) % dimension;
          v[k] = (v[k] as number) + 1;
        }
        const norm = Math.hypot(...v) || 1;
        return v.map((x) => x / norm);
      });
    },
  };
}

/** A runbook with one symptom phrase (the helper's unless given). */
function compiled(id: string, title: string, symptom = 'something is broken'): CompiledRunbook {
  const text = l1Runbook(id, { title }).replace('symptoms: [something is broken]', `symptoms: [${symptom}]`);
  const result = compileRunbook(source(`l1/${id}.md`, text));
  if (!result.ok) throw new Error(`${id} did not compile`);
  return result.runbook;
}

const OPTIONS = { builtAt: '2026-12-04T18:30:00.000Z', compilerVersion: 'c1', compileOptions: '{}' };
const RUNBOOKS = () => [
  compiled('vpn-drops', 'VPN drops every few minutes', 'the tunnel keeps disconnecting from home'),
  compiled('printer-jam', 'Printer jams on every page'),
];

async function built(model = wordModel()) {
  const index = new EmbeddedRunbookIndex({ embedder: model });
  await index.upsert(RUNBOOKS());
  return { index, model };
}

async function queryPlan(text: string, model: Embedder) {
  const [vector] = await model.embed([text]);
  return { ...planQuery({ text }, NO_SYNONYMS, searchOptions()), vector: vector as Float32Array };
}

describe('index artifact with vectors', () => {
  it('round-trips every runbook vector bit for bit, with the model in the header', async () => {
    // Prepare
    const { index } = await built();
    const snapshot = index.snapshot();

    // Act
    const loaded = await decodeArtifact(encodeArtifact(artifactOf(snapshot, OPTIONS)));

    // Assess: a main vector and a phrase vector each; the same floats.
    expect(loaded.header.model).toEqual({ id: 'words-64', dimension: 64 });
    expect(loaded.header.runbooks.map((r) => [r.id, r.vectors])).toEqual(
      snapshot.runbooks.map((r) => [r.id, snapshot.vectors?.byId.get(r.id)?.length]),
    );
    expect(loaded.header.vectorBytes).toBe(4 * 64 * 4);
    for (const [id, vectors] of snapshot.vectors?.byId ?? []) {
      expect(
        loaded
          .vectors()
          ?.get(id)
          ?.map((v) => [...v]),
      ).toEqual(vectors.map((v) => [...v]));
    }
    expect(loaded.runbooks()).toEqual(snapshot.runbooks);
  });

  it('ranks by meaning when published to a function of the same model, as the built index does', async () => {
    const { index, model } = await built();
    const published = new PublishedRunbookIndex(await decodeArtifact(encodeArtifact(artifactOf(index.snapshot(), OPTIONS))), {
      model: { id: model.modelId, dimension: model.dimension },
    });
    const plan = await queryPlan('tunnel disconnecting', model);
    expect(published.modelId).toBe('words-64');
    expect(await published.nearest(plan)).toEqual(await index.nearest(plan));
    expect((await published.nearest(plan))?.[0]?.runbookId).toBe('vpn-drops');
  });

  it('ranks by words only, and says why, when the function has another model or the artifact none', async () => {
    // Prepare
    const { index, model } = await built();
    const withVectors = await decodeArtifact(encodeArtifact(artifactOf(index.snapshot(), OPTIONS)));
    const wordsOnly = new EmbeddedRunbookIndex();
    await wordsOnly.upsert(RUNBOOKS());
    const without = await decodeArtifact(encodeArtifact(artifactOf(wordsOnly.snapshot(), OPTIONS)));
    const warn = vi.fn();

    // Act
    const other = new PublishedRunbookIndex(withVectors, { model: { id: 'another-model', dimension: 64 }, warn });
    const none = new PublishedRunbookIndex(without, { model: { id: 'words-64', dimension: 64 }, warn });

    // Assess: no dense hits (never a comparison across models); each reason logged.
    const plan = await queryPlan('tunnel disconnecting', model);
    expect(await other.nearest(plan)).toBeUndefined();
    expect(await none.nearest(plan)).toBeUndefined();
    expect(without.header.model).toBeNull();
    expect(without.header.vectorBytes).toBeUndefined();
    expect(warn.mock.calls.map(([m]) => m)).toEqual([
      expect.stringContaining("vectors are of model words-64 (64 dimensions), this function's of another-model"),
      expect.stringContaining('holds no vectors'),
    ]);
  });

  it('refuses vectors that do not match the header', async () => {
    const { index } = await built();
    const text = gunzipSync(encodeArtifact(artifactOf(index.snapshot(), OPTIONS))).toString('latin1');
    const tampered = gzipSync(Buffer.from(text.replace('"dimension":64', '"dimension":32'), 'latin1'));
    await expect(decodeArtifact(tampered)).rejects.toThrow(ArtifactFormatError);
    await expect(decodeArtifact(tampered)).rejects.toThrow(/vectors \(1024 bytes\) do not match its header \(4 vectors/);
  });

  it("restores vectors into the content indexer's index: only new or changed texts reach the model", async () => {
    // Prepare: the published artifact, and the same model again for the next publish.
    const { index } = await built();
    const loaded = await decodeArtifact(encodeArtifact(artifactOf(index.snapshot(), OPTIONS)));
    const model = wordModel();
    const reuse = new ReusedVectors(model, { runbooks: loaded.runbooks(), vectors: loaded.vectors() ?? new Map() });
    const model2 = { id: 'words-64', dimension: 64 };
    const restored = EmbeddedRunbookIndex.restore(
      { runbooks: loaded.runbooks(), engine: loaded.engine, vectors: { model: model2, byId: loaded.vectors() ?? new Map() } },
      { embedder: reuse },
    );

    // Act: nothing is missing; one runbook's title changes; a full rebuild embeds nothing new.
    const missing = await restored.embedMissing();
    await restored.upsert([compiled('printer-jam', 'Printer jams on every single page')]);
    const rebuilt = new EmbeddedRunbookIndex({ embedder: reuse });
    await rebuilt.upsert(restored.snapshot().runbooks);

    // Assess
    expect(missing).toBe(0);
    expect(model.texts).toHaveLength(1);
    expect(model.texts[0]).toContain('every single page');
    expect(reuse.counts).toEqual({ embedded: 1, reused: 5 });
    expect(
      restored
        .snapshot()
        .vectors?.byId.get('vpn-drops')
        ?.map((v) => [...v]),
    ).toEqual(
      loaded
        .vectors()
        ?.get('vpn-drops')
        ?.map((v) => [...v]),
    );
  });

  it('embeds every runbook of an artifact made by another model', async () => {
    const { index } = await built(wordModel('old-model', 64));
    const loaded = await decodeArtifact(encodeArtifact(artifactOf(index.snapshot(), OPTIONS)));
    const model = wordModel();
    const restored = EmbeddedRunbookIndex.restore(
      {
        runbooks: loaded.runbooks(),
        engine: loaded.engine,
        vectors: { model: loaded.header.model ?? { id: 'none', dimension: 64 }, byId: loaded.vectors() ?? new Map() },
      },
      { embedder: model },
    );
    expect(await restored.embedMissing()).toBe(2);
    expect(restored.modelId).toBe('words-64');
    expect(model.texts).toHaveLength(4);
  });

  it('keeps what an edit or a removal gave a runbook while the model embedded the library behind it', async () => {
    // Prepare: a library indexed by its words; the model's first call waits until released.
    const model = wordModel();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const slow: Embedder = {
      modelId: model.modelId,
      dimension: model.dimension,
      embed: async (texts) => {
        if (calls++ === 0) await held;
        return model.embed(texts);
      },
    };
    let embedding = false;
    const index = new EmbeddedRunbookIndex({ embedder: slow, keepEmbedding: () => embedding });
    await index.upsert([...RUNBOOKS(), compiled('mail-bounces', 'Mail bounces back')]);
    embedding = true;

    // Act: while the library is embedded, one runbook is deleted and another saved with a new title.
    const missing = index.embedMissing();
    await index.remove(['printer-jam']);
    const edited = compiled('vpn-drops', 'Wireless keyboard types nothing');
    await index.upsert([edited]);
    release();

    // Assess: the untouched runbook got its vectors; the edit kept its own; the deleted one has none.
    expect(await missing).toBe(1);
    const byId = index.snapshot().vectors?.byId;
    expect([...(byId?.keys() ?? [])].sort()).toEqual(['mail-bounces', 'vpn-drops']);
    const [editedMain] = await model.embed(embeddingTexts(edited));
    expect([...(byId?.get('vpn-drops')?.[0] ?? [])]).toEqual([...(editedMain ?? [])]);
    const near = await index.nearest(await queryPlan('Printer jams on every page', model));
    expect(near?.map((hit) => hit.runbookId)).not.toContain('printer-jam');
  });
});
