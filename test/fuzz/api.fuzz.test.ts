import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../functions/src/local/server.ts';
import { CONTENT } from '../helpers/runbooks.ts';

/**
 * Schemathesis generates requests from /openapi.json (valid ones, and for each parameter invalid
 * ones and undeclared methods) against `kb serve` with the real library and write-back store.
 * The checks are the contract: no 5xx, every status and content type declared, every body valid
 * against its schema, 405 for a method a path does not take. Seeded, so a run can be replayed.
 */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'unsupported_method',
];

let server: LocalServer;
let dataDir: string;

function schemathesis(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.KB_SCHEMATHESIS as string, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the HTTP API under schemathesis', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kb-fuzz-'));
    server = await startLocalServer({ contentDir: CONTENT, dataDir, port: 0, watch: false });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every generated request as its OpenAPI document says, and never with a 5xx', async () => {
    const { code, output } = await schemathesis([
      'run',
      `${server.url}/openapi.json`,
      '--url',
      server.url,
      '--checks',
      CHECKS.join(','),
      '--max-examples',
      '60',
      '--seed',
      '1',
      '--workers',
      '2',
    ]);
    // The report names each failing operation with a curl command that reproduces it.
    expect(code, output).toBe(0);
    expect(output).toMatch(/Test cases:\s+\d+ generated/);
  });
});
