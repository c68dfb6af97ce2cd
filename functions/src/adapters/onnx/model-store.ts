import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_MODEL, type ModelFile, type ModelSpec } from './model-files.ts';

/** Where the verified model files live: `KB_MODEL_DIR`, else functions/models/<model id>/ (git-ignored). */
export function modelDir(spec: ModelSpec = DEFAULT_MODEL, env: NodeJS.ProcessEnv = process.env): string {
  return env.KB_MODEL_DIR ?? new URL(`../../../models/${spec.id}/`, import.meta.url).pathname;
}

export class ModelFilesError extends Error {
  override name = 'ModelFilesError';
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

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
