#!/usr/bin/env node
// The kb command is written in TypeScript; tsx compiles it on load so there is no build step
// between editing a file and running it.
import { register } from 'tsx/esm/api';

register();
// Under Node 20 the AWS SDK warns, each time `npm start` or `kb serve` starts its in-process
// DynamoDB, that its releases after January 2027 will need Node 22: news for whoever upgrades the
// pinned SDK, not for the engineer starting a server (the Lambdas already run Node 22). Set the
// variable to "false" to see it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import('../src/cli/kb.ts');
