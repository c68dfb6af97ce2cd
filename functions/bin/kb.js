#!/usr/bin/env node
// The kb command is written in TypeScript; tsx compiles it on load so there is no build step
// between editing a file and running it.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/kb.ts');
