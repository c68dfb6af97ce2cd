// The embedding process runs TypeScript from source: register tsx here, as functions/bin/kb.js does.
import { register } from 'tsx/esm/api';

register();
await import('./embed-worker.ts');
