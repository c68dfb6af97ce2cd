import type { Node } from 'constructs';

/**
 * Deployment settings, from CDK context (cdk.json, or `-c key=value` on the command line).
 * `stage` picks how stateful resources are removed and the default search engine; `search` picks
 * the engine the functions search with:
 *
 *   npx cdk deploy --all                                   # dev, embedded: no cluster, no VPC
 *   npx cdk deploy --all -c stage=prod                     # prod, OpenSearch: zone-aware data nodes, dedicated masters, 1 replica
 *   npx cdk deploy --all -c search=opensearch              # dev on one small OpenSearch node, 0 replicas
 *   npx cdk deploy --all -c stage=prod -c search=embedded  # prod without a cluster
 *   npx cdk deploy --all -c model=false                    # words only (either engine): no embedding model in the functions
 *
 * `embedded`: the content indexer builds the index artifact into the index bucket (`index/`) and
 * the API Lambda searches it in memory; resolutions are read from DynamoDB. No OpenSearch domain,
 * no VPC, no resolution indexer. `opensearch`: the domain in a VPC, the resolution indexer on the
 * table's stream. The README's deploy section says which to choose and how to move.
 */
export type Stage = 'dev' | 'prod';

/** What the functions search with (`-c search=…`); anything else fails synth. */
export type SearchEngine = 'embedded' | 'opensearch';

export const SEARCH_ENGINES: readonly SearchEngine[] = ['embedded', 'opensearch'];

/** The engine a stage gets when `search` is not given. */
export const DEFAULT_ENGINE: Record<Stage, SearchEngine> = { dev: 'embedded', prod: 'opensearch' };

export type ApiScope = 'search' | 'feedback' | 'resolve' | 'admin';

/** One caller of the API: a ticket system, the web app, an operator. Each gets its own key and usage plan. */
export interface ApiClientConfig {
  name: string;
  scopes: ApiScope[];
  /** Ticket sources it may write resolutions for; its name when absent. */
  sources?: string[];
  /** Steady requests per second and burst, per key. */
  rateLimit: number;
  burstLimit: number;
  /** Requests per day; no quota when absent. */
  quotaPerDay?: number;
}

export interface SearchClusterConfig {
  /** OpenSearch data nodes; `prod` spreads them over two availability zones. */
  dataNodes: number;
  dataNodeInstanceType: string;
  /** Dedicated master nodes (0: none). Three keep a quorum through the loss of one zone. */
  masterNodes: number;
  masterNodeInstanceType: string;
  /** gp3 volume per data node, GiB. */
  volumeGiB: number;
  /** Replicas per index: 0 on one node (else it never turns green), 1 across zones. */
  replicas: number;
  /** Availability zones the data nodes are spread over (1: no zone awareness). */
  zones: 1 | 2;
}

export interface KbConfig {
  stage: Stage;
  /** Prefix of the stack names: `RunbookKb-dev-Data`, … */
  stackPrefix: string;
  /** What the functions search with: the in-memory index from S3, or an OpenSearch domain. */
  engine: SearchEngine;
  /** The OpenSearch domain's shape for this stage; used only when `engine` is `opensearch`. */
  cluster: SearchClusterConfig;
  clients: ApiClientConfig[];
  /** Where alarms are e-mailed; alarms still go to the SNS topic without it. */
  alarmEmail?: string;
  /** Upload `content/` with `cdk deploy` (the first deploy is then searchable). */
  uploadContent: boolean;
  /** Days to keep function, API access and flow logs. */
  logRetentionDays: number;
  /** Keep the table, domain and buckets when the stacks are deleted. */
  retainData: boolean;
  /**
   * Set the region's API Gateway CloudWatch role (an account-wide setting the stages' access logs
   * need). Off by default: most accounts have it, and it belongs to whoever owns the account;
   * `-c apiGatewayAccountRole=true` sets it when `aws apigateway get-account` shows none.
   */
  apiGatewayAccountRole: boolean;
  /**
   * Reserve one concurrent execution for the content indexer, so a rebuild and single-file updates
   * never interleave. An account whose concurrency quota is 10 (new accounts) cannot reserve any:
   * `-c reservedConcurrency=false` deploys without it (content events may then run side by side).
   */
  reservedConcurrency: boolean;
  /**
   * With either engine, the API and the content indexer carry the sentence-embedding model and
   * onnxruntime (about 50 MB in each function's asset) and search by meaning beside words (on
   * OpenSearch, the runbook index holds the vectors, and the resolution indexer carries the model
   * too, for past tickets' vectors). `-c model=false` deploys words-only functions: no model in
   * the assets, no `KB_MODEL_DIR`.
   */
  model: boolean;
  /**
   * How far the learning loop trusts each source of closed tickets and feedback, 0–1 (`-c
   * learningSourceWeights='{"zendesk": 0.5}'`): handed to the API as `KB_LEARNING_SOURCE_WEIGHTS`.
   * Every source counts fully without it.
   */
  learningSourceWeights?: Record<string, number>;
}

export const SEARCH_CLUSTERS: Record<Stage, SearchClusterConfig> = {
  dev: {
    dataNodes: 1,
    dataNodeInstanceType: 't3.small.search',
    masterNodes: 0,
    masterNodeInstanceType: 'm7g.large.search',
    volumeGiB: 10,
    replicas: 0,
    zones: 1,
  },
  prod: {
    dataNodes: 2,
    dataNodeInstanceType: 'm7g.large.search',
    masterNodes: 3,
    masterNodeInstanceType: 'm7g.large.search',
    volumeGiB: 20,
    replicas: 1,
    zones: 2,
  },
};

/**
 * The API-key callers a fresh deployment has; override with the `clients` context key. The web
 * app has no key: agents sign in (Cognito), and the function reads their tier from the token.
 */
export const DEFAULT_CLIENTS: ApiClientConfig[] = [
  { name: 'jira', scopes: ['search', 'resolve'], rateLimit: 20, burstLimit: 40, quotaPerDay: 200_000 },
  { name: 'servicenow', scopes: ['search', 'resolve'], rateLimit: 20, burstLimit: 40, quotaPerDay: 200_000 },
  { name: 'zendesk', scopes: ['search', 'resolve'], rateLimit: 20, burstLimit: 40, quotaPerDay: 200_000 },
  { name: 'admin', scopes: ['search', 'admin'], rateLimit: 5, burstLimit: 10 },
];

const SCOPES: readonly ApiScope[] = ['search', 'feedback', 'resolve', 'admin'];

function context<T>(node: Node, key: string): T | undefined {
  const value = node.tryGetContext(key) as unknown;
  // `-c key=value` arrives as a string; JSON values (clients) may be passed as JSON text.
  if (typeof value === 'string' && /^[[{]/.test(value.trim())) return JSON.parse(value) as T;
  return value as T | undefined;
}

function flag(node: Node, key: string, fallback: boolean): boolean {
  const value = context<unknown>(node, key);
  return value === undefined ? fallback : value === true || value === 'true';
}

/** Reads and checks the context; a bad value fails synth with a message naming the key. */
export function configFrom(node: Node): KbConfig {
  const stage = context<string>(node, 'stage') ?? 'dev';
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`context "stage" must be dev or prod (got "${stage}")`);
  const clients = context<ApiClientConfig[]>(node, 'clients') ?? DEFAULT_CLIENTS;
  const names = new Set<string>();
  for (const client of clients) {
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(client.name)) throw new Error(`context "clients": bad name "${client.name}" (a-z, 0-9, -)`);
    if (names.has(client.name)) throw new Error(`context "clients": "${client.name}" appears twice`);
    names.add(client.name);
    const unknown = client.scopes.filter((s) => !SCOPES.includes(s));
    if (unknown.length > 0) throw new Error(`context "clients": ${client.name} has unknown scopes ${unknown.join(', ')}`);
  }
  const engine = context<string>(node, 'search') ?? DEFAULT_ENGINE[stage];
  if (!SEARCH_ENGINES.includes(engine as SearchEngine)) {
    throw new Error(`context "search" must be ${SEARCH_ENGINES.join(' or ')} (got "${engine}")`);
  }
  const alarmEmail = context<string>(node, 'alarmEmail');
  const learningSourceWeights = context<Record<string, number>>(node, 'learningSourceWeights');
  for (const [source, weight] of Object.entries(learningSourceWeights ?? {})) {
    // The API reads the same rules at cold start (KB_LEARNING_SOURCE_WEIGHTS): better to fail synth than every cold start.
    if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(source)) throw new Error(`context "learningSourceWeights": bad source "${source}" (a-z, 0-9, -)`);
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) {
      throw new Error(`context "learningSourceWeights": ${source} must be a number from 0 to 1 (got ${JSON.stringify(weight)})`);
    }
  }
  return {
    stage,
    stackPrefix: `${context<string>(node, 'stackPrefix') ?? 'RunbookKb'}-${stage}`,
    engine: engine as SearchEngine,
    cluster: SEARCH_CLUSTERS[stage],
    clients,
    ...(alarmEmail ? { alarmEmail } : {}),
    uploadContent: flag(node, 'uploadContent', true),
    logRetentionDays: Number(context<number>(node, 'logRetentionDays') ?? (stage === 'prod' ? 90 : 14)),
    retainData: flag(node, 'retainData', stage === 'prod'),
    apiGatewayAccountRole: flag(node, 'apiGatewayAccountRole', false),
    reservedConcurrency: flag(node, 'reservedConcurrency', true),
    model: flag(node, 'model', true),
    ...(learningSourceWeights ? { learningSourceWeights } : {}),
  };
}
