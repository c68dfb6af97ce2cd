import { displayNode, type Transport } from './client.ts';
import { READ_RETRY, type RetryPolicy, withRetry } from './retry.ts';

export interface CallOptions {
  body?: unknown;
  querystring?: Record<string, string | number | boolean>;
  /** Statuses that are answers rather than errors (404 for "no such alias"). */
  ignore?: number[];
  retry?: RetryPolicy;
  /** When the caller needs an answer by (epoch ms): retries stop before it. */
  deadline?: number;
}

/** The transport plus where it points: every call retried by policy, every failure typed (retry.ts). */
export class Cluster {
  readonly node: string;

  constructor(
    readonly transport: Transport,
    node: string,
  ) {
    this.node = displayNode(node);
  }

  async call<T>(method: string, path: string, options: CallOptions = {}): Promise<{ statusCode: number; body: T }> {
    const response = await withRetry(
      this.node,
      options.retry ?? READ_RETRY,
      ({ timeoutMs }) =>
        this.transport.request(
          {
            method,
            path,
            ...(options.body !== undefined ? { body: options.body as Record<string, unknown> } : {}),
            ...(options.querystring ? { querystring: options.querystring } : {}),
          },
          { requestTimeout: timeoutMs, ...(options.ignore ? { ignore: options.ignore } : {}) },
        ),
      options.deadline !== undefined ? { deadline: options.deadline } : {},
    );
    return { statusCode: response.statusCode ?? 200, body: response.body as T };
  }
}
