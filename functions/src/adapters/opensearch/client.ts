import { Client, type ClientOptions } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';

/** How to reach a cluster: self-managed (plain HTTP(S), optional basic auth) or Amazon OpenSearch Service (SigV4). */
export type OpenSearchConnection =
  | { node: string; auth: 'none' }
  | { node: string; auth: 'basic'; username: string; password: string }
  | { node: string; auth: 'sigv4'; region: string; service: 'es' | 'aoss' };

/** Client tunables: retries are ours (retry.ts, with backoff), so the client itself does not retry. */
export const CLIENT_DEFAULTS = { requestTimeoutMs: 30_000, maxRetries: 0, compression: false } as const;

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

function clientOptions(connection: OpenSearchConnection): ClientOptions {
  const base: ClientOptions = {
    node: connection.node,
    requestTimeout: CLIENT_DEFAULTS.requestTimeoutMs,
    maxRetries: CLIENT_DEFAULTS.maxRetries,
    ...(CLIENT_DEFAULTS.compression ? { compression: 'gzip' as const } : {}),
  };
  if (connection.auth === 'basic') return { ...base, auth: { username: connection.username, password: connection.password } };
  if (connection.auth === 'sigv4') {
    return { ...base, ...AwsSigv4Signer({ region: connection.region, service: connection.service, getCredentials: defaultCredentials() }) };
  }
  return base;
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

const clients = new Map<string, Client>();

/**
 * One client per connection for the life of the process: it keeps the HTTP keep-alive pool (and
 * the SigV4 credentials) warm across Lambda invocations and requests.
 */
export function openSearchClient(connection: OpenSearchConnection): Client {
  const key = JSON.stringify(connection);
  let client = clients.get(key);
  if (!client) {
    client = new Client(clientOptions(connection));
    clients.set(key, client);
  }
  return client;
}
