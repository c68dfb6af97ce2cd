import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  /** Pass it to the real server. */
  | 'forward'
  /** Answer 429 Too Many Requests without forwarding, as a node with a full write queue does. */
  | 'reject'
  /** `_bulk` only: forward the first half of the operations and answer 429 for the rest, per item. */
  | 'reject-half'
  /** Stop: drop this request and every connection, and refuse new ones (the server went down). */
  | 'down';

export interface SeenRequest {
  method: string;
  path: string;
}

export interface FaultProxy {
  url: string;
  seen: SeenRequest[];
  close: () => Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Splits a bulk body into operations (an action line, plus a source line for index/create/update). */
function operations(ndjson: string): string[][] {
  const lines = ndjson.split('\n').filter(Boolean);
  const ops: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const action = lines[i] as string;
    const hasSource = !('delete' in (JSON.parse(action) as object));
    ops.push(hasSource ? [action, lines[++i] as string] : [action]);
  }
  return ops;
}

const rejected = (op: string[]) => {
  const [kind, meta] = Object.entries(JSON.parse(op[0] as string) as Record<string, { _id?: string }>)[0] ?? ['index', {}];
  return { [kind]: { _id: meta._id, status: 429, error: { type: 'rejected_execution_exception', reason: 'injected by the test proxy' } } };
};

/**
 * A tiny HTTP proxy in front of the real OpenSearch that injects faults: `decide` sees each
 * request (with a per-path-kind counter) and says what to do with it.
 */
export async function startFaultProxy(upstream: string, decide: (request: SeenRequest, bulkCount: number) => Fault): Promise<FaultProxy> {
  const seen: SeenRequest[] = [];
  let bulks = 0;
  const server = createServer(async (req, res) => {
    const request = { method: req.method ?? 'GET', path: req.url ?? '/' };
    seen.push(request);
    const isBulk = request.path.split('?')[0]?.endsWith('/_bulk') ?? false;
    const fault = decide(request, isBulk ? ++bulks : bulks);
    if (fault === 'down') {
      req.socket.destroy();
      server.close();
      server.closeAllConnections();
      return;
    }
    const body = await bodyOf(req);
    if (fault === 'reject') {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'rejected_execution_exception', reason: 'injected by the test proxy' }, status: 429 }));
      return;
    }
    let forwarded = body;
    let extra: object[] = [];
    if (fault === 'reject-half' && isBulk) {
      const ops = operations(body.toString('utf8'));
      const keep = Math.ceil(ops.length / 2);
      forwarded = Buffer.from(`${ops.slice(0, keep).flat().join('\n')}\n`);
      extra = ops.slice(keep).map(rejected);
    }
    const headers: Record<string, string> = {};
    if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
    const upstreamResponse = await fetch(new URL(request.path, upstream), {
      method: request.method,
      headers,
      ...(request.method === 'GET' || request.method === 'HEAD' || forwarded.length === 0 ? {} : { body: new Uint8Array(forwarded) }),
    });
    let text = await upstreamResponse.text();
    if (extra.length > 0) {
      const parsed = JSON.parse(text) as { errors: boolean; items: object[] };
      text = JSON.stringify({ ...parsed, errors: true, items: [...parsed.items, ...extra] });
    }
    res.writeHead(upstreamResponse.status, { 'content-type': upstreamResponse.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        if (!server.listening) resolve();
      }),
  };
}
