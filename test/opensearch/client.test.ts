import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectionFromEnv, displayNode, openSearchTransport } from '../../functions/src/adapters/opensearch/client.ts';

/** A local endpoint standing in for a cluster: answers `{}` and records each Authorization header. */
async function recordingEndpoint(): Promise<{ port: number; seen: string[]; close: () => void }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen, close: () => server.close() };
}

describe('OpenSearch connection from the environment', () => {
  it('reads plain, basic-auth and SigV4 settings, and refuses incomplete ones', () => {
    expect(connectionFromEnv({})).toBeUndefined();
    expect(connectionFromEnv({ KB_OPENSEARCH_URL: 'http://127.0.0.1:9200' })).toEqual({ node: 'http://127.0.0.1:9200', auth: 'none' });
    expect(connectionFromEnv({ KB_OPENSEARCH_URL: 'https://h', KB_OPENSEARCH_USERNAME: 'u', KB_OPENSEARCH_PASSWORD: 'p' })).toMatchObject({
      auth: 'basic',
      username: 'u',
    });
    expect(connectionFromEnv({ KB_OPENSEARCH_URL: 'https://h', KB_OPENSEARCH_AUTH: 'sigv4', AWS_REGION: 'eu-west-1' })).toEqual({
      node: 'https://h',
      auth: 'sigv4',
      region: 'eu-west-1',
      service: 'es',
    });
    expect(() => connectionFromEnv({ KB_OPENSEARCH_URL: 'https://h', KB_OPENSEARCH_AUTH: 'sigv4' })).toThrow(/region/);
    expect(() => connectionFromEnv({ KB_OPENSEARCH_URL: 'https://h', KB_OPENSEARCH_AUTH: 'kerberos' })).toThrow(
      /must be sigv4, basic or none/,
    );
    expect(displayNode('https://user:secret@search.example.com/')).toBe('https://search.example.com');
  });

  it('sends basic-auth credentials from the settings or from the URL', async () => {
    const { port, seen, close } = await recordingEndpoint();
    try {
      await openSearchTransport({ node: `http://127.0.0.1:${port}`, auth: 'basic', username: 'kb', password: 's3cret' }).request({
        method: 'GET',
        path: '/',
      });
      await openSearchTransport({ node: `http://ops:p%40ss@127.0.0.1:${port}`, auth: 'none' }).request({ method: 'GET', path: '/' });
      expect(seen).toEqual([`Basic ${btoa('kb:s3cret')}`, `Basic ${btoa('ops:p@ss')}`]);
    } finally {
      close();
    }
  });

  it('builds each transport once, and signs requests with SigV4 from the default AWS credential chain', async () => {
    // Prepare: a local endpoint that records the Authorization header; credentials from env vars.
    const { port, seen, close } = await recordingEndpoint();
    const node = `http://127.0.0.1:${port}`;
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'example-secret';
    try {
      // Act
      const transport = openSearchTransport({ node, auth: 'sigv4', region: 'eu-west-1', service: 'es' });
      await transport.request({ method: 'GET', path: '/' });
      // Assess
      expect(openSearchTransport({ node, auth: 'sigv4', region: 'eu-west-1', service: 'es' })).toBe(transport);
      expect(seen[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request/);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      close();
    }
  });
});
