import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { KbConfig } from '../config.ts';
import { acknowledge, acknowledgeResourcePatterns } from '../constructs/acknowledge.ts';
import { ApiGatewayAccountRole } from '../constructs/api-gateway-account.ts';
import { asInterface } from '../constructs/as-interface.ts';
import { API_MEMORY_MB } from '../constructs/function-memory.ts';
import { KbAgentApi } from '../constructs/kb-agent-api.ts';
import { KbRestApi } from '../constructs/kb-rest-api.ts';
import { KbSignIn, webConfigJs } from '../constructs/kb-sign-in.ts';
import { REPO_ROOT, RunbookFunction, type RunbookFunctionProps } from '../constructs/runbook-function.ts';
import { type DataStack, INDEX_PREFIX, QUEUES_KEY } from './data-stack.ts';
import type { WebStack } from './web-stack.ts';

/** Index aliases: the functions read and write only these, and their IAM policies name only these. */
export const INDEX_ALIASES = { runbooks: 'kb-runbooks', resolutions: 'kb-resolutions' } as const;

const VERSIONED_INDICES =
  'Index patterns: a full rebuild writes a new versioned index (kb-runbooks-<time>-<design>) and moves the alias to it.';

/** How often the API checks the index manifest (an ETag-conditional GET) for a newer artifact. */
export const INDEX_REFRESH_SECONDS = 30;

export interface ApiStackProps extends StackProps {
  config: KbConfig;
  data: DataStack;
  web: WebStack;
}

/**
 * The stateless stack: the functions, the API, the content pipeline and the web app's files.
 * Everything here can be destroyed and redeployed without losing data.
 *
 * With `-c search=opensearch`: three functions in the data stack's VPC, the content indexer
 * writing the runbook index and the resolution indexer the resolution index (from the table's
 * stream). With `-c search=embedded`: two functions outside any VPC; the content indexer writes
 * the index artifact under `index/` of the index bucket, the API loads it and reads resolutions
 * from the table itself, so there is no resolution indexer (the table keeps its stream, so that
 * switching to OpenSearch is a deploy, not a table change).
 */
export class ApiStack extends Stack {
  readonly api: KbRestApi;
  /** Agents' sign-in (user pool, hosted UI, the web app's client) and the API stage behind it. */
  readonly signIn: KbSignIn;
  readonly agentApi: KbAgentApi;
  /** `resolutionIndexer` only with OpenSearch. */
  readonly functions: { api: RunbookFunction; contentIndexer: RunbookFunction; resolutionIndexer?: RunbookFunction };
  readonly deadLetterQueues: { contentIndexer: sqs.Queue; resolutionIndexer?: sqs.Queue };

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data, web } = props;
    const { cluster } = data;
    // What every function is told about the engine (functions/src/handlers/wiring.ts reads it).
    const search: Record<string, string> = cluster
      ? {
          KB_SEARCH_ENGINE: 'opensearch',
          KB_OPENSEARCH_URL: `https://${cluster.domain.domainEndpoint}`,
          KB_OPENSEARCH_AUTH: 'sigv4',
          KB_INDEX_REPLICAS: String(config.cluster.replicas),
          KB_RUNBOOK_ALIAS: INDEX_ALIASES.runbooks,
          KB_RESOLUTION_ALIAS: INDEX_ALIASES.resolutions,
        }
      : { KB_SEARCH_ENGINE: 'embedded', KB_INDEX_BUCKET: data.indexBucket.bucketName, KB_INDEX_PREFIX: INDEX_PREFIX };
    const common = {
      ...(cluster ? { network: { vpc: asInterface<ec2.IVpc>(cluster.vpc), securityGroups: [cluster.searchClients] } } : {}),
      logRetentionDays: config.logRetentionDays,
    };
    // Both engines: the API and the content indexer run the embedding model, carried in their code
    // assets (the indexer embeds runbooks into the artifact or the OpenSearch index, the API embeds
    // queries), and so does OpenSearch's resolution indexer (it embeds past tickets, so the API
    // finds paraphrases of them). `-c model=false`: words only.
    const model = config.model;
    const indexObjects = data.indexBucket.arnForObjects(`${INDEX_PREFIX}*`);
    // Listing under the prefix lets S3 answer a missing manifest (nothing indexed yet) with 404
    // rather than 403, so the handlers can tell "not built yet" from a permission error.
    const indexList = (sid: string) =>
      new iam.PolicyStatement({
        sid,
        actions: ['s3:ListBucket'],
        resources: [data.indexBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [INDEX_PREFIX, `${INDEX_PREFIX}*`] } },
      });
    const queuesObject = data.indexBucket.arnForObjects(QUEUES_KEY);

    this.deadLetterQueues = { contentIndexer: this.#deadLetterQueue('ContentIndexerDlq') };

    // --- the API function ---------------------------------------------------------------
    const api = new RunbookFunction(this, 'ApiFunction', {
      ...common,
      handler: 'api',
      description: 'runbook-kb HTTP API (Hono): search, suggest, runbooks, resolutions, feedback',
      // Embedded: the index lives in the function's memory (the artifact's index, runbook metadata
      // and HTML, vectors), beside Node and the handler, so 1,024 MB (which also buys about 0.6 of a
      // vCPU for decompressing it). The model adds about 160 MB resident (onnxruntime and its
      // session) plus its working memory per batch, so with it 1,536 MB, which also buys about 0.9
      // of a vCPU for the query embedding on the search path. A cold start loads the artifact (and
      // the model) before its first answer, so the timeout allows for that, below API Gateway's
      // 29 s integration timeout so callers get the function's own error. With OpenSearch the
      // function forwards queries (and, with the model, embeds them: the same 1,536 MB for its
      // resident size and CPU) and loads no index: 10 s.
      memorySize: model ? API_MEMORY_MB.withModel : API_MEMORY_MB.wordsOnly,
      timeout: Duration.seconds(cluster ? 10 : 20),
      model,
      environment: {
        ...search,
        ...(cluster ? {} : { KB_INDEX_REFRESH_SECONDS: String(INDEX_REFRESH_SECONDS) }),
        KB_TABLE: data.table.tableName,
        KB_CONTENT_BUCKET: data.contentBucket.bucketName,
        // Either engine: the escalation queues the content indexer publishes under settings/.
        KB_INDEX_BUCKET: data.indexBucket.bucketName,
        KB_WEB_ORIGIN: web.origin,
        ...(config.learningSourceWeights ? { KB_LEARNING_SOURCE_WEIGHTS: JSON.stringify(config.learningSourceWeights) } : {}),
      },
    });
    api.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ResolutionsTable',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan'],
        resources: [data.table.tableArn, `${data.table.tableArn}/index/by-runbook`],
      }),
    );
    api.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'Synonyms',
        actions: ['s3:GetObject'],
        resources: [data.contentBucket.arnForObjects('synonyms.txt')],
      }),
    );
    // Listing that one key lets S3 answer a deleted synonyms.txt with 404 (no synonyms) rather
    // than 403, which the function could only log as an error every 30 s.
    api.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SynonymsExist',
        actions: ['s3:ListBucket'],
        resources: [data.contentBucket.bucketArn],
        conditions: { StringEquals: { 's3:prefix': 'synonyms.txt' } },
      }),
    );
    if (cluster) {
      const domainArn = cluster.domain.domainArn;
      api.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'SearchRead',
          actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
          resources: [`${domainArn}/${INDEX_ALIASES.runbooks}*`, `${domainArn}/${INDEX_ALIASES.resolutions}*`],
        }),
      );
    } else {
      api.addToRolePolicy(new iam.PolicyStatement({ sid: 'IndexRead', actions: ['s3:GetObject'], resources: [indexObjects] }));
      api.addToRolePolicy(indexList('IndexExists'));
    }
    // The queues the content indexer publishes; listing lets a not-yet-published file be a 404, not a 403.
    api.addToRolePolicy(new iam.PolicyStatement({ sid: 'QueuesRead', actions: ['s3:GetObject'], resources: [queuesObject] }));
    api.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'QueuesExist',
        actions: ['s3:ListBucket'],
        resources: [data.indexBucket.bucketArn],
        conditions: { StringEquals: { 's3:prefix': QUEUES_KEY } },
      }),
    );

    // --- the content indexer: S3 events → compile → OpenSearch or the index artifact ------
    const contentIndexer = new RunbookFunction(this, 'ContentIndexer', {
      ...common,
      handler: 'contentIndexer',
      description: cluster
        ? 'runbook-kb content indexer: S3 object created/removed → compile (remark) → OpenSearch'
        : 'runbook-kb content indexer: S3 object created/removed → compile (remark) → index artifact in S3',
      // Compiling (and, with the model, embedding) every runbook of a rebuild: 1,536 MB leave room
      // for the model's ~160 MB beside the compile pool, and buy about 0.9 of a vCPU.
      memorySize: 1536,
      timeout: Duration.minutes(15),
      model,
      // One at a time: a rebuild (alias swap) and single-file updates never interleave; S3's
      // events wait in Lambda's async queue meanwhile (up to the max event age). Accounts whose
      // concurrency quota is too low to reserve any deploy with -c reservedConcurrency=false.
      ...(config.reservedConcurrency ? { reservedConcurrentExecutions: 1 } : {}),
      environment: {
        ...search,
        KB_CONTENT_BUCKET: data.contentBucket.bucketName,
        // Either engine: the escalation queues it publishes for the API; OpenSearch: whole-library
        // syncs keep their compile cache there too (the artifact is the embedded engine's cache).
        KB_INDEX_BUCKET: data.indexBucket.bucketName,
      },
    });
    contentIndexer.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.deadLetterQueues.contentIndexer),
    });
    contentIndexer.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ContentRead',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [data.contentBucket.arnForObjects('*')],
      }),
    );
    contentIndexer.addToRolePolicy(new iam.PolicyStatement({ sid: 'QueuesWrite', actions: ['s3:PutObject'], resources: [queuesObject] }));
    contentIndexer.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ContentList',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [data.contentBucket.bucketArn],
      }),
    );
    if (cluster) {
      const domainArn = cluster.domain.domainArn;
      contentIndexer.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'RunbookIndexWrite',
          actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'],
          resources: [`${domainArn}/${INDEX_ALIASES.runbooks}*`],
        }),
      );
      contentIndexer.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'RunbookAliasSwap',
          actions: ['es:ESHttpGet', 'es:ESHttpPost'],
          resources: [`${domainArn}/_aliases`, `${domainArn}/_cat/indices/${INDEX_ALIASES.runbooks}*`],
        }),
      );
      // The compile cache (handlers/wiring-s3.ts COMPILE_CACHE_KEY); a missing object is an empty cache.
      contentIndexer.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'CompileCache',
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [data.indexBucket.arnForObjects('compile-cache/*')],
        }),
      );
    } else {
      // Writes a new artifact version, then the manifest; reads the manifest (and the previous
      // version, to update it incrementally); deletes versions the manifest no longer needs.
      contentIndexer.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'IndexWrite',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [indexObjects],
        }),
      );
      contentIndexer.addToRolePolicy(indexList('IndexList'));
    }
    // Notifications on the stateful stack's bucket, configured from here (an imported bucket),
    // so the data stack does not depend on this one.
    const contentBucket = s3.Bucket.fromBucketAttributes(this, 'ContentBucket', {
      bucketArn: data.contentBucket.bucketArn,
      bucketName: data.contentBucket.bucketName,
    });
    const notify = new s3n.LambdaDestination(contentIndexer);
    contentBucket.addEventNotification(s3.EventType.OBJECT_CREATED, notify);
    contentBucket.addEventNotification(s3.EventType.OBJECT_REMOVED, notify);
    // An hourly sync by content hash repairs anything a lost event left behind (S3 events are
    // rare to lose, not impossible), drops runbooks whose id changed, and goes on embedding a
    // library too large to embed in one invocation (content-artifact.ts). With nothing to do it
    // reads the bucket's listing and the latest artifact, and publishes nothing.
    new events.Rule(this, 'HourlyContentSync', {
      description: 'runbook-kb: sync the runbook index with the content bucket',
      schedule: events.Schedule.cron({ minute: '17' }),
      targets: [new targets.LambdaFunction(contentIndexer, { event: events.RuleTargetInput.fromObject({ kb: 'sync' }) })],
    });

    // --- the resolution indexer: DynamoDB stream → OpenSearch (OpenSearch only) ------------
    const resolutionIndexer = cluster ? this.#resolutionIndexer(common, search, data, cluster.domain.domainArn, model) : undefined;
    this.functions = { api, contentIndexer, ...(resolutionIndexer ? { resolutionIndexer } : {}) };
    if (cluster) {
      acknowledgeResourcePatterns(api.role ?? api, [`/${INDEX_ALIASES.runbooks}*`, `/${INDEX_ALIASES.resolutions}*`], VERSIONED_INDICES);
      acknowledgeResourcePatterns(contentIndexer.role ?? contentIndexer, [`/${INDEX_ALIASES.runbooks}*`], VERSIONED_INDICES);
      acknowledgeResourcePatterns(
        contentIndexer.role ?? contentIndexer,
        ['/*'],
        'The content indexer reads every object (and its previous version) of the content bucket, and nothing else.',
      );
    } else {
      const artifact = `Index artifact: each version is written under ${INDEX_PREFIX} with keys of its own (named by the manifest there), so the keys are known only at run time; nothing outside the prefix.`;
      acknowledgeResourcePatterns(api.role ?? api, [`/${INDEX_PREFIX}*`], artifact);
      acknowledgeResourcePatterns(
        contentIndexer.role ?? contentIndexer,
        ['/*'],
        `The content indexer reads every object (and its previous version) of the content bucket, and writes and deletes only under ${INDEX_PREFIX} of the index bucket. ${artifact}`,
      );
    }

    // --- the API ---------------------------------------------------------------------------
    this.api = new KbRestApi(this, 'Http', {
      name: `runbook-kb-${config.stage}`,
      handler: api,
      clients: config.clients,
      webOrigin: web.origin,
      logRetentionDays: config.logRetentionDays,
    });
    api.addEnvironment('KB_API_CLIENTS', this.api.clientsJson());

    // --- agents: Cognito sign-in and the API stage the web app calls ------------------------
    this.signIn = new KbSignIn(this, 'SignIn', { webOrigin: web.origin, retain: config.retainData });
    this.agentApi = new KbAgentApi(this, 'AgentHttp', {
      name: `runbook-kb-agents-${config.stage}`,
      handler: api,
      userPool: this.signIn.userPool,
      webOrigin: web.origin,
      logRetentionDays: config.logRetentionDays,
    });
    if (config.apiGatewayAccountRole) new ApiGatewayAccountRole(this, 'ApiGatewayAccount').before(this.api.api, this.agentApi.api);
    api.addEnvironment('KB_OIDC_ISSUER', this.signIn.issuer);
    api.addEnvironment('KB_OIDC_AUDIENCE', this.signIn.client.userPoolClientId);

    // --- content: the first deploy is searchable -------------------------------------------
    if (config.uploadContent) {
      const upload = new deploy.BucketDeployment(this, 'ContentUpload', {
        sources: [deploy.Source.asset(join(REPO_ROOT, 'content'))],
        destinationBucket: contentBucket,
        // After the first deploy a content repo's CI owns the bucket: never delete what it added.
        prune: false,
        retainOnDelete: true,
        memoryLimit: 512,
      });
      // Upload only once the indexer listens, so every uploaded file is indexed.
      const notifications = contentBucket.node.tryFindChild('Notifications');
      if (notifications) upload.node.addDependency(notifications);
      upload.node.addDependency(contentIndexer);
    }

    // --- the web app's files and its config.js ---------------------------------------------
    const dist = join(REPO_ROOT, 'web/dist');
    const built = existsSync(join(dist, 'index.html'));
    if (!built) {
      Annotations.of(this).addWarningV2(
        'runbook-kb:webNotBuilt',
        'web/dist is missing: run `npm run build` before `cdk deploy`; a placeholder page is deployed.',
      );
    }
    // Public: where the agents' API and sign-in are, and nothing secret (no key).
    const configJs = webConfigJs({
      apiBase: this.agentApi.api.urlForPath('/').replace(/\/$/, ''),
      auth: { domain: this.signIn.hostedUi, clientId: this.signIn.client.userPoolClientId },
    });
    new deploy.BucketDeployment(this, 'WebPublish', {
      sources: [
        built ? deploy.Source.asset(dist) : deploy.Source.data('index.html', PLACEHOLDER_PAGE),
        deploy.Source.data('config.js', configJs),
      ],
      destinationBucket: asInterface<s3.IBucket>(web.bucket),
      distribution: web.distribution,
      distributionPaths: ['/*'],
      prune: false,
      memoryLimit: 512,
    });

    this.#acknowledgeHelpers();

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'The runbook-kb API for ticket systems (API keys, stage v1)' });
    new CfnOutput(this, 'AgentApiUrl', { value: this.agentApi.api.url, description: 'The API for signed-in agents (the web app)' });
    new CfnOutput(this, 'UserPoolId', {
      value: this.signIn.userPool.userPoolId,
      description: 'Agents: aws cognito-idp admin-create-user / admin-add-user-to-group --group-name kb-l1 (see README)',
    });
    new CfnOutput(this, 'SignInUrl', { value: this.signIn.hostedUi, description: 'The hosted sign-in page (federate your IdP to it)' });
    new CfnOutput(this, 'ContentIndexerName', {
      value: contentIndexer.functionName,
      description: `Rebuild the index: aws lambda invoke --function-name <this> --cli-binary-format raw-in-base64-out --payload '{"kb":"rebuild"}' /dev/stdout`,
    });
    for (const [name, key] of this.api.keys) {
      new CfnOutput(this, `ApiKey${name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`, {
        value: `aws apigateway get-api-key --api-key ${key.keyId} --include-value --query value --output text`,
        description: `The ${name} API key's value (send it as x-api-key)`,
      });
    }
  }

  #deadLetterQueue(name: string): sqs.Queue {
    const queue = new sqs.Queue(this, name, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(queue, ['AwsSolutions-SQS3'], 'This queue is itself a dead-letter queue (a Lambda on-failure destination).');
    return queue;
  }

  /** The stream reader that keeps OpenSearch's resolution index; its dead letters go to a queue of its own. */
  #resolutionIndexer(
    common: Pick<RunbookFunctionProps, 'network' | 'logRetentionDays'>,
    search: Record<string, string>,
    data: DataStack,
    domainArn: string,
    model: boolean,
  ): RunbookFunction {
    const deadLetters = this.#deadLetterQueue('ResolutionIndexerDlq');
    this.deadLetterQueues.resolutionIndexer = deadLetters;
    const resolutionIndexer = new RunbookFunction(this, 'ResolutionIndexer', {
      ...common,
      handler: 'resolutionIndexer',
      description: 'runbook-kb resolution indexer: DynamoDB stream → resolution index',
      // With the model, each batch's ticket texts are embedded: 1,536 MB, as the other functions
      // with the model, for its ~160 MB resident and about 0.9 of a vCPU (a batch of 100 short
      // texts then takes a second or two, well within the timeout). Words only: 512 MB.
      memorySize: model ? 1536 : 512,
      timeout: Duration.seconds(60),
      model,
      environment: search,
    });
    const relevant = (image: 'NewImage' | 'OldImage') =>
      lambda.FilterCriteria.filter({ dynamodb: { [image]: { type: { S: lambda.FilterRule.or('resolution', 'feedback') } } } });
    resolutionIndexer.addEventSource(
      new sources.DynamoEventSource(asInterface<dynamodb.ITable>(data.table), {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        onFailure: new sources.SqsDlq(deadLetters),
        // Search gaps and dead letters carry no signal: they never invoke the function.
        filters: [relevant('NewImage'), relevant('OldImage')],
      }),
    );
    resolutionIndexer.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ResolutionIndexWrite',
        actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'],
        resources: [`${domainArn}/${INDEX_ALIASES.resolutions}*`, `${domainArn}/_alias/${INDEX_ALIASES.resolutions}`],
      }),
    );
    acknowledgeResourcePatterns(resolutionIndexer.role ?? resolutionIndexer, [`/${INDEX_ALIASES.resolutions}*`], VERSIONED_INDICES);
    return resolutionIndexer;
  }

  /** CDK's own helper functions (bucket deployment, notifications, the key reader). */
  #acknowledgeHelpers(): void {
    for (const child of this.node.children) {
      const id = child.node.id;
      if (!/^(Custom::CDKBucketDeployment|BucketNotificationsHandler|AWS[0-9a-f]{32}$)/.test(id)) continue;
      if (id.startsWith('Custom::CDKBucketDeployment')) {
        const reason =
          'CDK’s BucketDeployment copies the content and web assets from the CDK asset bucket into our two buckets (its own grants) and invalidates the distribution.';
        acknowledge(
          child,
          ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((a) => `AwsSolutions-IAM5[Action::${a}]`),
          reason,
        );
        acknowledge(child, ['AwsSolutions-IAM5[Resource::*]'], `${reason} CloudFront invalidations support no resource scoping.`);
        acknowledgeResourcePatterns(child, ['/*'], reason);
      }
      acknowledge(
        child,
        ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'],
        'A CDK-provided deploy-time helper function; the managed policy only lets it write its own logs.',
      );
      acknowledge(child, ['AwsSolutions-L1'], 'A CDK-provided deploy-time helper whose runtime CDK chooses and updates.');
    }
  }
}

const PLACEHOLDER_PAGE = `<!doctype html><meta charset="utf-8"><title>runbook-kb</title>
<p>The web app was not built when this stack was deployed. Run <code>npm run build</code>, then <code>npx cdk deploy --all</code> again.</p>`;
