import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../functions/src/adapters/onnx/model-files.ts';
import { BUNDLING } from '../../infra/constructs/bundling.ts';
import { checkModelFiles, MODEL_ASSET, MODEL_DIR_IN_LAMBDA, modelCommandHooks } from '../../infra/constructs/model-asset.ts';
import { REPO_ROOT } from '../../infra/constructs/runbook-function.ts';
import { resources, type Synthesized, synthesize, synthesizeBundled } from './synth.ts';

/*
 * Issue 11, item 4: with either engine the API and the content indexer run the embedding
 * model, carried in their code assets (the model files, onnxruntime-node with only Lambda's Linux
 * ARM64 binary, onnxruntime-common), copied by the bundling hooks from local files. These tests
 * synthesize with the bundles built, as `cdk synth` does, and look inside the assets.
 */

const LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024;
const MB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

interface OurFunction {
  description: string;
  memory: number;
  variables: Record<string, unknown>;
  /** The asset's files, relative to its root, with their sizes. */
  files: Map<string, number>;
  /** sha256 of the asset's model files. */
  modelSums: Map<string, string>;
  /** index.mjs. */
  bundle: string;
}

interface Shape {
  functions: OurFunction[];
  error: unknown;
  violations: Synthesized['violations'];
}

function filesUnder(dir: string): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), statSync(path).size);
    }
  };
  walk(dir);
  return files;
}

/** Synthesizes with the bundles built and reads what each of our functions carries. */
function shape(context: Record<string, unknown>): Shape {
  return synthesizeBundled(context, (app, outdir) => {
    const functions = resources(app.templates.api, 'AWS::Lambda::Function')
      .filter(([, r]) => String(r.Properties.Description ?? '').startsWith('runbook-kb'))
      .map(([, r]): OurFunction => {
        const key = String((r.Properties.Code as { S3Key: string }).S3Key);
        const dir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
        const files = filesUnder(dir);
        const modelSums = new Map(
          [...files.keys()]
            .filter((f) => f.startsWith(`${MODEL_ASSET.assetModelDir}/`))
            .map((f) => [
              f,
              createHash('sha256')
                .update(readFileSync(join(dir, f)))
                .digest('hex'),
            ]),
        );
        return {
          description: String(r.Properties.Description),
          memory: Number(r.Properties.MemorySize),
          variables: (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
          files,
          modelSums,
          bundle: readFileSync(join(dir, 'index.mjs'), 'utf8'),
        };
      });
    return { functions, error: app.error, violations: app.violations };
  });
}

let embedded: Shape;
let wordsOnly: Shape;
let opensearch: Shape;

beforeAll(() => {
  // Prepare: the dev stage's default (embedded, with the model), words-only, and OpenSearch.
  embedded = shape({});
  wordsOnly = shape({ model: 'false' });
  opensearch = shape({ search: 'opensearch' });
}, 300_000);

const named = (s: Shape, word: string) => {
  const fn = s.functions.find((f) => f.description.includes(word));
  if (!fn) throw new Error(`no function described with "${word}"`);
  return fn;
};
const total = (fn: OurFunction) => [...fn.files.values()].reduce((a, b) => a + b, 0);
const runtimeFiles = (fn: OurFunction) => [...fn.files.keys()].filter((f) => f.startsWith('node_modules/'));

/** Both shapes with the model: their API and content indexer carry it the same way. */
const withModel = (): [string, Shape][] => [
  ['embedded', embedded],
  ['opensearch', opensearch],
];

describe('the embedding model in the API and the content indexer (either engine)', () => {
  it('passes cdk-nag with the bundles built', () => {
    for (const s of [embedded, wordsOnly, opensearch]) {
      expect(s.error).toBeUndefined();
      expect(s.violations.filter((v) => v.severity === 'error')).toEqual([]);
    }
  });

  it('tells the API and the content indexer where the model is, and gives both 1,536 MB', () => {
    for (const [engine, s] of withModel()) {
      for (const word of ['HTTP API', 'content indexer']) {
        const fn = named(s, word);
        expect(fn.variables.KB_MODEL_DIR, `${engine}: ${word}`).toBe(MODEL_DIR_IN_LAMBDA);
        expect(fn.memory, `${engine}: ${word}`).toBe(1536);
      }
    }
    expect(MODEL_DIR_IN_LAMBDA).toBe('/var/task/model');
  });

  it('-c search=opensearch: the resolution indexer carries the model too (it embeds past tickets), the same files, 1,536 MB', () => {
    expect(opensearch.functions).toHaveLength(3);
    const fn = named(opensearch, 'resolution indexer');
    expect(fn.variables.KB_MODEL_DIR).toBe(MODEL_DIR_IN_LAMBDA);
    expect(fn.memory).toBe(1536);
    expect(fn.modelSums).toEqual(new Map(DEFAULT_MODEL.files.map((f) => [`model/${f.name}`, f.sha256])));
    for (const name of BUNDLING.externalModules) expect(fn.files.has(`node_modules/${name}/package.json`), name).toBe(true);
  });

  it('carries the verified model files in model/, byte for byte the pinned ones', () => {
    const pinned = new Map(DEFAULT_MODEL.files.map((f) => [`model/${f.name}`, f.sha256]));
    expect(MODEL_ASSET.modelId).toBe(DEFAULT_MODEL.id);
    for (const [engine, s] of withModel()) {
      for (const word of ['HTTP API', 'content indexer']) expect(named(s, word).modelSums, `${engine}: ${word}`).toEqual(pinned);
    }
  });

  it('carries onnxruntime-node with the Linux ARM64 binary only, and onnxruntime-common, beside index.mjs', () => {
    for (const [engine, s] of withModel()) {
      for (const word of ['HTTP API', 'content indexer']) {
        const fn = named(s, word);
        expect(fn.variables.KB_SEARCH_ENGINE, word).toBe(engine);
        const files = runtimeFiles(fn);
        expect(fn.files.has('index.mjs')).toBe(true);
        expect(files).toEqual(
          expect.arrayContaining([
            'node_modules/onnxruntime-node/package.json',
            'node_modules/onnxruntime-node/dist/index.js',
            'node_modules/onnxruntime-node/dist/binding.js',
            'node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node',
            'node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/libonnxruntime.so.1',
            'node_modules/onnxruntime-common/package.json',
            'node_modules/onnxruntime-common/dist/cjs/index.js',
            'node_modules/@huggingface/tokenizers/package.json',
            'node_modules/@huggingface/tokenizers/dist/tokenizers.mjs',
          ]),
        );
        const binaries = files.filter((f) => f.includes('/bin/'));
        expect(
          binaries.every((f) => f.startsWith('node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/')),
          binaries.join(', '),
        ).toBe(true);
        for (const other of ['linux/x64', 'darwin', 'win32']) expect(files.filter((f) => f.includes(other))).toEqual([]);
        // onnxruntime-node's download-at-install script and its dependencies stay behind.
        expect(files.filter((f) => f.includes('/script/') || f.startsWith('node_modules/adm-zip'))).toEqual([]);
      }
    }
  });

  it('keeps each bundle within 1 MiB and each asset well within Lambda’s 250 MB unzipped', () => {
    for (const [engine, s] of withModel()) {
      for (const word of ['HTTP API', 'content indexer']) {
        const fn = named(s, word);
        const bundle = fn.files.get('index.mjs') ?? Number.POSITIVE_INFINITY;
        const model = [...fn.files].filter(([f]) => f.startsWith('model/')).reduce((a, [, b]) => a + b, 0);
        const runtime = [...fn.files].filter(([f]) => f.startsWith('node_modules/')).reduce((a, [, b]) => a + b, 0);
        expect(bundle).toBeLessThanOrEqual(BUNDLING.maxBytes);
        expect(total(fn)).toBeLessThan(LAMBDA_UNZIPPED_LIMIT);
        console.info(
          `${engine} ${word}: asset ${MB(total(fn))} MB unzipped (bundle ${(bundle / 1024).toFixed(0)} KiB, its map ${MB(fn.files.get('index.mjs.map') ?? 0)} MB, model ${MB(model)} MB, node_modules (onnxruntime, tokenizer) ${MB(runtime)} MB)`,
        );
      }
    }
  });
});

/** A static import of `name` (which esbuild hoists to the top of an ESM bundle, even from a lazily loaded module). */
const staticImport = (name: string) => new RegExp(`(from|import)\\s*["']${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`);

describe('modules kept out of the bundle', () => {
  it('are imported only lazily, so a function without the model never needs them', () => {
    for (const s of [embedded, wordsOnly, opensearch]) {
      for (const fn of s.functions) {
        for (const name of BUNDLING.externalModules) expect(fn.bundle, `${fn.description}: ${name}`).not.toMatch(staticImport(name));
      }
    }
  });

  it('are all shipped beside the bundle of a function that carries the model', () => {
    for (const [engine, s] of withModel()) {
      for (const word of ['HTTP API', 'content indexer']) {
        const fn = named(s, word);
        for (const name of BUNDLING.externalModules) {
          expect(fn.files.has(`node_modules/${name}/package.json`), `${engine}: ${word}: ${name}`).toBe(true);
        }
      }
    }
  });
});

describe('functions without the model', () => {
  it('-c model=false: no KB_MODEL_DIR, no model and no onnxruntime in the assets, the API back at 1,024 MB', () => {
    expect(wordsOnly.functions).toHaveLength(2);
    for (const fn of wordsOnly.functions) {
      expect(fn.variables.KB_MODEL_DIR, fn.description).toBeUndefined();
      expect([...fn.files.keys()].filter((f) => f.startsWith('model/') || f.startsWith('node_modules/'))).toEqual([]);
    }
    expect(named(wordsOnly, 'HTTP API').memory).toBe(1024);
    console.info(`-c model=false: assets ${wordsOnly.functions.map((f) => `${MB(total(f))} MB`).join(', ')} unzipped`);
  });

  it('-c search=opensearch -c model=false: no KB_MODEL_DIR in any function, the API back at 1,024 MB', () => {
    // Templates only (the assets of words-only functions are checked above for the embedded shape).
    const app = synthesize({ search: 'opensearch', model: 'false' });
    expect(app.error).toBeUndefined();
    const functions = resources(app.templates.api, 'AWS::Lambda::Function').filter(([, r]) =>
      String(r.Properties.Description ?? '').startsWith('runbook-kb'),
    );
    expect(functions).toHaveLength(3);
    for (const [id, r] of functions) {
      const variables = (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      expect(variables.KB_MODEL_DIR, id).toBeUndefined();
      expect(variables.KB_SEARCH_ENGINE, id).toBe('opensearch');
    }
    const api = functions.find(([, r]) => String(r.Properties.Description).includes('HTTP API'))?.[1];
    expect(api?.Properties.MemorySize).toBe(1024);
    expect(api?.Properties.Timeout).toBe(10);
    const resolutionIndexer = functions.find(([, r]) => String(r.Properties.Description).includes('resolution indexer'))?.[1];
    expect(resolutionIndexer?.Properties.MemorySize).toBe(512);
  });
});

describe('the model asset from local files', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kb-model-asset-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('fails synth naming `npm run setup:model` when the model is not installed', () => {
    // Prepare: a checkout where npm install's model set-up never ran.
    const root = join(scratch, 'no-model');
    mkdirSync(root, { recursive: true });
    // Act, Assess
    expect(() => checkModelFiles(root, 'arm64')).toThrow(/model\.onnx.*run `npm run setup:model`.*-c model=false/);
  });

  it('fails synth naming `npm install` when the model is there but onnxruntime’s Linux binary is not', () => {
    // Prepare: the model files (empty: the check is for presence; the function checks their sha256 at start-up).
    const root = join(scratch, 'no-runtime');
    mkdirSync(join(root, MODEL_ASSET.modelDir), { recursive: true });
    for (const f of MODEL_ASSET.modelFiles) writeFileSync(join(root, MODEL_ASSET.modelDir, f), '');
    // Act, Assess
    expect(() => checkModelFiles(root, 'arm64')).toThrow(/Linux arm64 binary is missing.*run `npm install`/);
  });

  it.runIf(process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64'))(
    'the copied layout works: bare imports from index.mjs find onnxruntime-node and the tokenizer beside it, and it loads the model',
    () => {
      // Prepare: the hooks' commands for this machine's architecture (the functions use arm64),
      // run into an empty folder outside the repository, with an index.mjs that imports lazily.
      const out = join(scratch, 'task');
      mkdirSync(out, { recursive: true });
      const commands = modelCommandHooks(process.arch as 'x64' | 'arm64').afterBundling(REPO_ROOT, out);
      for (const command of commands) execFileSync('bash', ['-c', command], { cwd: REPO_ROOT });
      writeFileSync(
        join(out, 'index.mjs'),
        `const ort = await import('onnxruntime-node');
const { Tokenizer } = await import('@huggingface/tokenizers');
if (typeof Tokenizer !== 'function') throw new Error('no Tokenizer');
const session = await ort.InferenceSession.create(process.env.KB_MODEL_DIR + '/model.onnx');
process.stdout.write(JSON.stringify(session.inputNames));`,
      );
      // Act: as Lambda runs it, from elsewhere, with nothing but the folder to resolve from.
      const out1 = execFileSync(process.execPath, [join(out, 'index.mjs')], {
        cwd: tmpdir(),
        env: { PATH: process.env.PATH ?? '', KB_MODEL_DIR: join(out, 'model') },
      }).toString();
      // Assess: the rebuilt encoder, which takes token ids only (a text alone is never padded)
      expect(JSON.parse(out1)).toEqual(['input_ids']);
    },
  );
});
