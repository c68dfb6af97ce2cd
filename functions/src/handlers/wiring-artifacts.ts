import { S3Client } from '@aws-sdk/client-s3';
import { compilerVersion } from '../adapters/compile/compiler-version.ts';
import { S3IndexArtifacts } from '../adapters/s3/s3-index-artifacts.ts';
import type { ArtifactIndexerDeps } from './content-artifact.ts';
import { ENV, once, required } from './wiring.ts';
import { contentSource, queuesPublisher, settingsFiles } from './wiring-s3.ts';

/*
 * The embedded engine's index artifacts in S3: written by the content indexer, read by the API.
 * Apart from the API's wiring (wiring-embedded.ts), so the content indexer's bundle carries no
 * DynamoDB client.
 */

export const indexArtifacts = /* @__PURE__ */ once(
  () => new S3IndexArtifacts(new S3Client({}), required(ENV.indexBucket), { prefix: process.env[ENV.indexPrefix] || 'index/' }),
);

/** The content indexer's ports with the embedded engine (the model, if any, from wiring-model.ts). */
export const artifactIndexerDeps = /* @__PURE__ */ once(
  (): ArtifactIndexerDeps => ({
    source: contentSource(),
    artifacts: indexArtifacts(),
    compilerVersion,
    publishQueues: queuesPublisher(settingsFiles()),
  }),
);
