// Worker threads do not inherit the main thread's tsx loader: register it here, as functions/bin/kb.js does.
import { register } from 'tsx/esm/api';

register();
await import('./embed-worker.ts');
