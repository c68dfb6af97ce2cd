import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../functions/src/local/server.ts';
import { eventually, searchIds as idsFrom } from '../helpers/poll.ts';
import { FIXTURES, l1Runbook } from '../helpers/runbooks.ts';
import { dropTestIndices, OPENSEARCH_URL, raw, testAlias } from './helpers.ts';

let server: LocalServer;
let root: string;
const alias = testAlias('serve');

const searchIds = (q: string) => idsFrom(server.url, q);

describe('kb serve --opensearch (local server on OpenSearch)', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kb-serve-os-'));
    cpSync(join(FIXTURES, 'ok'), join(root, 'content'), { recursive: true });
    server = await startLocalServer({
      contentDir: join(root, 'content'),
      dataDir: join(root, 'data'),
      port: 0,
      watch: true,
      opensearch: { connection: { node: OPENSEARCH_URL, auth: 'none' }, alias },
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
    await dropTestIndices('serve-');
  });

  it('indexes the content folder into the alias and answers from OpenSearch', async () => {
    expect(await searchIds('vpn drops')).toContain('vpn-drops');
    expect((await raw<{ count: number }>('GET', `/${alias}/_count`)).body.count).toBeGreaterThan(0);
  });

  it('re-indexes a saved runbook, indexes a new one and forgets a deleted one, each searchable at once', async () => {
    const content = join(root, 'content');
    writeFileSync(join(content, 'l1', 'vpn-drops.md'), l1Runbook('vpn-drops', { title: 'Kerberos ticket expired' }));
    await eventually(async () => (await searchIds('kerberos'))[0] === 'vpn-drops');

    writeFileSync(join(content, 'l1', 'toner.md'), l1Runbook('toner-low', { title: 'Toner cartridge empty' }));
    await eventually(async () => (await searchIds('toner cartridge'))[0] === 'toner-low');

    rmSync(join(content, 'l1', 'toner.md'));
    await eventually(async () => !(await searchIds('toner cartridge')).includes('toner-low'));
  });
});
