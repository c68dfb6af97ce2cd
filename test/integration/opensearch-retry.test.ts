import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkWrite } from '../../functions/src/adapters/opensearch/bulk.ts';
import { openSearchTransport } from '../../functions/src/adapters/opensearch/client.ts';
import { Cluster } from '../../functions/src/adapters/opensearch/cluster.ts';
import { OpenSearchRequestError, OpenSearchUnavailableError } from '../../functions/src/adapters/opensearch/errors.ts';
import { READ_RETRY } from '../../functions/src/adapters/opensearch/retry.ts';

/*
 * The OpenSearch adapter's one retry policy against servers that misbehave in the ways a real
 * cluster does: accepting connections and never answering, refusing everything with 429, and
 * Amazon OpenSearch Service's IAM deny. Real sockets; no OpenSearch needed.
 */

let hung: Server;
const held: Socket[] = [];
let hungUrl: string;
let fake: HttpServer;
let fakeUrl: string;
let answer: (path: string) => { status: number; body: unknown } = () => ({ status: 200, body: {} });
const requests: string[] = [];

beforeAll(async () => {
  hung = createServer((socket) => held.push(socket)); // accepts, reads nothing, answers nothing
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  hungUrl = `http://127.0.0.1:${(hung.address() as { port: number }).port}`;
  fake = createHttpServer((req, res) => {
    requests.push(req.url ?? '');
    req.resume().on('end', () => {
      const { status, body } = answer(req.url ?? '');
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => hung.close(resolve));
  await new Promise((resolve) => fake.close(resolve));
});

const cluster = (url: string) => new Cluster(openSearchTransport({ node: url, auth: 'none' }), url);

describe('the OpenSearch adapter’s retry policy', () => {
  it('gives up on a cluster that accepts connections but never answers within the read budget', async () => {
    const started = performance.now();
    const error = await cluster(hungUrl)
      .call('POST', '/kb-runbooks/_search', { body: { query: { match_all: {} } } })
      .catch((e: unknown) => e);
    const seconds = (performance.now() - started) / 1000;
    expect(error).toBeInstanceOf(OpenSearchUnavailableError);
    expect((error as Error).message).toMatch(/after 2 attempts in 2\.\d s/);
    expect(seconds).toBeLessThan(3);
    expect(seconds).toBeGreaterThanOrEqual((READ_RETRY.budgetMs ?? 0) / 1000 - 0.3);
  });

  it('stops before the caller’s deadline when it comes first', async () => {
    const started = performance.now();
    const error = await cluster(hungUrl)
      .call('GET', '/_cluster/health', { deadline: Date.now() + 700 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenSearchUnavailableError);
    expect(performance.now() - started).toBeLessThan(1_200);
  });

  it('bulk: whole-request and per-item refusals draw on one budget, not attempts × attempts', async () => {
    // Prepare: the first request is refused as a whole, the next ones item by item, for good.
    requests.length = 0;
    answer = (path) =>
      requests.length === 1
        ? { status: 429, body: { error: { type: 'rejected_execution_exception', reason: 'queue full' } } }
        : {
            status: 200,
            body: {
              errors: true,
              items: [{ index: { _id: 'a', status: 429, error: { type: 'es_rejected_execution_exception', reason: path } } }],
            },
          };
    const policy = { attempts: 4, baseDelayMs: 5, maxDelayMs: 10 };

    // Act
    const outcome = await bulkWrite(
      openSearchTransport({ node: fakeUrl, auth: 'none' }),
      fakeUrl,
      'kb-runbooks',
      [{ action: 'index', id: 'a', document: {} }],
      {
        retry: policy,
      },
    );

    // Assess: four requests in all, and the item reported with OpenSearch's reason, not lost.
    expect(requests).toHaveLength(4);
    expect(outcome.failed).toEqual([{ id: 'a', reason: expect.stringMatching(/^es_rejected_execution_exception/) }]);
  });

  it('reports an IAM deny from Amazon OpenSearch Service with its message, at once', async () => {
    requests.length = 0;
    const deny = 'User: arn:aws:sts::123456789012:assumed-role/kb-api/fn is not authorized to perform: es:ESHttpPost';
    answer = () => ({ status: 403, body: { Message: deny } });
    const error = await cluster(fakeUrl)
      .call('POST', '/kb-runbooks/_search', { body: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenSearchRequestError);
    expect((error as Error).message).toContain('is not authorized to perform: es:ESHttpPost');
    expect(requests).toHaveLength(1);
  });
});
