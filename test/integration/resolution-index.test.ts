import { EmbeddedResolutionIndex } from '../../functions/src/adapters/embedded/embedded-resolution-index.ts';
import { sharedEmbedder } from '../../functions/src/adapters/onnx/onnx-embedder.ts';
import { resolutionIndexContract } from '../contract/resolution-index.contract.ts';

// In-process: every write is searchable when it returns, so there is nothing to settle.
resolutionIndexContract('EmbeddedResolutionIndex, words only', async () => new EmbeddedResolutionIndex(), {
  meaning: { unsupported: 'created without an embedder, so it has no meaning vectors to compare' },
});

// With the installed model, as `kb serve` runs it: plans with a vector are answered by cosine.
resolutionIndexContract(
  'EmbeddedResolutionIndex with the ONNX embedder',
  async () => new EmbeddedResolutionIndex({ embedder: await sharedEmbedder() }),
  { meaning: { embedder: sharedEmbedder } },
);
