import type * as OpenSearch from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import ConnectionModule from '@opensearch-project/opensearch/lib/Connection.js';
import { ConnectionPool } from '@opensearch-project/opensearch/lib/pool/index.js';
import SerializerModule from '@opensearch-project/opensearch/lib/Serializer.js';
import TransportModule from '@opensearch-project/opensearch/lib/Transport.js';

// The client's lib/ modules are CommonJS (`module.exports = Class`) whose typings declare an ES
// default export, so a default import is the class at run time but not to the type checker.
const Connection = ConnectionModule as unknown as typeof OpenSearch.Connection;
const Serializer = SerializerModule as unknown as typeof OpenSearch.Serializer;
const Transport = TransportModule as unknown as typeof OpenSearch.Transport;
export type Transport = OpenSearch.Transport;

/** How to reach a cluster: self-managed (plain HTTP(S), optional basic auth) or Amazon OpenSearch Service (SigV4). */
export type OpenSearchConnection =
  | { node: string; auth: 'none' }
  | { node: string; auth: 'basic'; username: string; password: string }
  | { node: string; auth: 'sigv4'; region: string; service: 'es' | 'aoss' };

/** Client tunables: retries are ours (retry.ts, with backoff), so the client itself does not retry. */
export const CLIENT_DEFAULTS = { requestTimeoutMs: 30_000, maxRetries: 0 } as const;

/**
 * Reads the connection from the environment, as a Lambda function or `kb` gets it:
 * `KB_OPENSEARCH_URL` (credentials may be in the URL), `KB_OPENSEARCH_AUTH` = `sigv4` for Amazon
 * OpenSearch Service (region from `KB_OPENSEARCH_REGION` or `AWS_REGION`, `KB_OPENSEARCH_SERVICE`
 * `aoss` for Serverless) or `basic` with `KB_OPENSEARCH_USERNAME` / `KB_OPENSEARCH_PASSWORD`.
 */
export function connectionFromEnv(env: NodeJS.ProcessEnv, url = env.KB_OPENSEARCH_URL): OpenSearchConnection | undefined {
  if (!url) return undefined;
  const auth = env.KB_OPENSEARCH_AUTH ?? (env.KB_OPENSEARCH_USERNAME ? 'basic' : 'none');
  if (auth === 'sigv4') {
    const region = env.KB_OPENSEARCH_REGION ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new Error('KB_OPENSEARCH_AUTH=sigv4 needs a region: set KB_OPENSEARCH_REGION or AWS_REGION');
    return { node: url, auth, region, service: env.KB_OPENSEARCH_SERVICE === 'aoss' ? 'aoss' : 'es' };
  }
  if (auth === 'basic') {
    const { KB_OPENSEARCH_USERNAME: username, KB_OPENSEARCH_PASSWORD: password } = env;
    if (!username || password === undefined)
      throw new Error('KB_OPENSEARCH_AUTH=basic needs KB_OPENSEARCH_USERNAME and KB_OPENSEARCH_PASSWORD');
    return { node: url, auth, username, password };
  }
  if (auth !== 'none') throw new Error(`KB_OPENSEARCH_AUTH must be sigv4, basic or none (got "${auth}")`);
  return { node: url, auth };
}

/** The URL without credentials, for messages and logs. */
export function displayNode(node: string): string {
  try {
    const url = new URL(node);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return node;
  }
}

/**
 * The official client's transport (connection pool, serializer, errors, SigV4 signing) without its
 * generated API surface: every call here is `transport.request`, and the ~200 KB of API methods
 * would otherwise be most of a resolution indexer's bundle. Built as `Client`'s constructor builds it.
 */
function buildTransport(connection: OpenSearchConnection): Transport {
  const signer =
    connection.auth === 'sigv4'
      ? AwsSigv4Signer({ region: connection.region, service: connection.service, getCredentials: defaultCredentials() })
      : undefined;
  const TransportClass = (signer?.Transport ?? Transport) as typeof Transport;
  const emit = () => false;
  const connectionPool = new ConnectionPool({
    Connection: (signer?.Connection ?? Connection) as typeof Connection,
    ...(connection.auth === 'basic' ? { auth: { username: connection.username, password: connection.password } } : {}),
    emit,
  });
  connectionPool.addConnection(connection.node);
  return new TransportClass({
    emit,
    connectionPool,
    serializer: new Serializer(),
    maxRetries: CLIENT_DEFAULTS.maxRetries,
    requestTimeout: CLIENT_DEFAULTS.requestTimeoutMs,
    sniffOnStart: false,
    sniffOnConnectionFault: false,
    sniffEndpoint: '_nodes/_all/http',
    nodeSelector: 'round-robin',
  });
}

interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The AWS default provider chain (env vars, SSO, shared files, then the Lambda/ECS/EC2 role),
 * built once per client: it caches and refreshes credentials itself. Loaded on first use, so
 * plain-HTTP deployments never load the AWS SDK.
 */
function defaultCredentials(): () => Promise<AwsCredentialIdentity> {
  let provider: Promise<() => Promise<AwsCredentialIdentity>> | undefined;
  return async () => {
    provider ??= import('@aws-sdk/credential-provider-node').then((m) => m.defaultProvider());
    return (await provider)();
  };
}

const transports = new Map<string, Transport>();

/**
 * One transport per connection for the life of the process: it keeps the HTTP keep-alive pool (and
 * the SigV4 credentials) warm across Lambda invocations and requests.
 */
export function openSearchTransport(connection: OpenSearchConnection): Transport {
  const key = JSON.stringify(connection);
  let transport = transports.get(key);
  if (!transport) {
    transport = buildTransport(connection);
    transports.set(key, transport);
  }
  return transport;
}
