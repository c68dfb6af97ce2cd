import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '../../functions/src/adapters/dynamodb/table-design.ts';
import { REQUIRED_ENV } from '../../functions/src/handlers/wiring.ts';
import { createApp } from '../../functions/src/http/app.ts';
import { AGENT_ROUTES } from '../../infra/constructs/kb-agent-api.ts';
import { API_ROUTES } from '../../infra/constructs/kb-rest-api.ts';
import { VPC_ACTIONS } from '../../infra/constructs/runbook-function.ts';
import { QUEUES_KEY } from '../../infra/stacks/data-stack.ts';
import { resources, type Synthesized, synthesize } from './synth.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const text = (value: unknown) => JSON.stringify(value);

let app: Synthesized;

beforeAll(() => {
  // Prepare: one synth of the dev stage on OpenSearch for the whole file (cdk-nag runs inside it);
  // embedded.test.ts covers the default dev shape, without a cluster.
  app = synthesize({ search: 'opensearch' });
});

/** Our three functions, by handler: found by their Node.js 22 runtime and handler description. */
function ourFunctions() {
  const all = resources(app.templates.api, 'AWS::Lambda::Function').filter(([, r]) =>
    String(r.Properties.Description ?? '').startsWith('runbook-kb'),
  );
  const by = (word: string) => all.find(([, r]) => String(r.Properties.Description).includes(word)) as (typeof all)[number];
  return { api: by('HTTP API'), contentIndexer: by('content indexer'), resolutionIndexer: by('resolution indexer'), all };
}

/** The statements of a function's role: its inline policies and the policies attached to it. */
function statementsOf(functionId: string): Statement[] {
  const role = (app.templates.api.toJSON().Resources[functionId].Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  const inline = (app.templates.api.toJSON().Resources[role].Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  const attached = resources(app.templates.api, 'AWS::IAM::Policy').filter(([, p]) => text(p.Properties.Roles).includes(role));
  return [
    ...inline.flatMap((p) => p.PolicyDocument.Statement),
    ...attached.flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement),
  ];
}

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error, so synth succeeds', () => {
    expect(app.error).toBeUndefined();
    expect(app.violations.filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const nag = app.acknowledgements.filter((a) => a.id.includes('AwsSolutions-'));
    expect(nag.length).toBeGreaterThan(10);
    for (const a of nag) expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(30);
  });
});

describe('data stack', () => {
  it('keeps content in a versioned, encrypted, private bucket that refuses plain HTTP', () => {
    app.templates.data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'content-bucket/' }),
    });
    for (const [, policy] of resources(app.templates.data, 'AWS::S3::BucketPolicy')) {
      expect(text(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('declares the resolutions table exactly as the DynamoDB adapter expects, with PITR and a stream', () => {
    const expected = createTableInput('x');
    const [[, table]] = resources(app.templates.data, 'AWS::DynamoDB::Table') as [[string, { Properties: Record<string, unknown> }]];
    const sortByName = (items: unknown) =>
      [...(items as { AttributeName: string }[])].sort((a, b) => a.AttributeName.localeCompare(b.AttributeName));
    expect(table.Properties.KeySchema).toEqual(expected.KeySchema);
    expect(sortByName(table.Properties.AttributeDefinitions)).toEqual(sortByName(expected.AttributeDefinitions));
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(expected.GlobalSecondaryIndexes);
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('runs a single-node OpenSearch 2.19 domain in the VPC, encrypted at rest and in transit, HTTPS only', () => {
    app.templates.data.resourceCountIs('AWS::OpenSearchService::Domain', 1);
    app.templates.data.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EngineVersion: 'OpenSearch_2.19',
      ClusterConfig: Match.objectLike({ InstanceCount: 1, ZoneAwarenessEnabled: false, DedicatedMasterEnabled: false }),
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: Match.objectLike({ EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' }),
      VPCOptions: Match.objectLike({ SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() }),
      LogPublishingOptions: Match.objectLike({ ES_APPLICATION_LOGS: Match.objectLike({ Enabled: true }) }),
    });
  });

  it('lets only signed requests from this account reach the domain, and only the functions’ group on 443', () => {
    const [[, domain]] = resources(app.templates.data, 'AWS::OpenSearchService::Domain') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    const policy = domain.Properties.AccessPolicies as { Statement: (Statement & { Principal: unknown })[] };
    for (const s of policy.Statement) {
      expect(text(s.Principal)).not.toBe('"*"');
      expect(text(s.Principal)).toContain(':root');
      for (const action of actionsOf(s)) expect(action).not.toContain('*');
    }
    const ingress = resources(app.templates.data, 'AWS::EC2::SecurityGroupIngress');
    expect(ingress).toHaveLength(1);
    expect(ingress[0]?.[1].Properties).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    expect(text(ingress[0]?.[1].Properties.SourceSecurityGroupId)).toContain('SearchClients');
  });

  it('has no NAT gateway: functions reach S3 and DynamoDB through gateway endpoints', () => {
    app.templates.data.resourceCountIs('AWS::EC2::NatGateway', 0);
    app.templates.data.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    app.templates.data.resourceCountIs('AWS::EC2::FlowLog', 1);
  });
});

describe('functions', () => {
  it('are three, each Node.js 22 on ARM64 with X-Ray, JSON logs, source maps and a log group with retention', () => {
    const { all } = ourFunctions();
    expect(all).toHaveLength(3);
    for (const [, fn] of all) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
        VpcConfig: expect.anything(),
      });
      expect(text(fn.Properties.Environment)).toContain('--enable-source-maps');
    }
    for (const [, group] of resources(app.templates.api, 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it('get every setting their handler reads (wiring.ts REQUIRED_ENV)', () => {
    const fns = ourFunctions();
    for (const name of ['api', 'contentIndexer', 'resolutionIndexer'] as const) {
      const variables = (fns[name][1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const variable of REQUIRED_ENV[name]) expect(Object.keys(variables), `${name} ${variable}`).toContain(variable);
      expect(variables.KB_OPENSEARCH_AUTH).toBe('sigv4');
      expect(variables.KB_SEARCH_ENGINE).toBe('opensearch');
      // No index artifacts on OpenSearch: the index bucket holds the content indexer's compile
      // cache and the escalation queues it publishes for the API.
      const index = Object.keys(variables).filter((k) => /^KB_INDEX_(BUCKET|PREFIX|REFRESH_SECONDS)$/.test(k));
      expect(index).toEqual(name === 'resolutionIndexer' ? [] : ['KB_INDEX_BUCKET']);
    }
  });

  it('let the content indexer read and write its compile cache in the index bucket, write the queues, and nothing else there', () => {
    const [, fn] = ourFunctions().contentIndexer;
    const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = Object.values(app.templates.api.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Action: string | string[]; Resource: unknown }[]);
    const cache = statements.find((s) => s.Sid === 'CompileCache');
    expect(cache?.Action).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(cache?.Resource)).toContain('/compile-cache/*');
    const onIndexBucket = statements.filter((s) => /GetAttIndex[0-9A-F]{8}Arn/.test(JSON.stringify(s.Resource)));
    expect(onIndexBucket.map((s) => s.Sid).sort()).toEqual(['CompileCache', 'QueuesWrite']);
    const queues = statements.find((s) => s.Sid === 'QueuesWrite');
    expect(queues?.Action).toBe('s3:PutObject');
    expect(JSON.stringify(queues?.Resource)).toContain(`/${QUEUES_KEY}"`);
  });

  it('run the content indexer one at a time, with failed S3 events sent to a dead-letter queue', () => {
    const [id, fn] = ourFunctions().contentIndexer;
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
    app.templates.api.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ContentIndexerDlq'), 'Arn'] } } },
    });
    app.templates.api.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: Match.arrayWith([
          Match.objectLike({ Events: ['s3:ObjectCreated:*'] }),
          Match.objectLike({ Events: ['s3:ObjectRemoved:*'] }),
        ]),
      },
    });
    app.templates.api.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Input: '{"kb":"sync"}' })] });
  });

  it('feed the resolution indexer from the stream with partial batch responses, bisecting, and a DLQ', () => {
    app.templates.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ParallelizationFactor: 1,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResolutionIndexerDlq'), 'Arn'] } } },
      FilterCriteria: { Filters: Match.arrayWith([Match.objectLike({ Pattern: Match.stringLikeRegexp('resolution') })]) },
    });
    for (const [, queue] of resources(app.templates.api, 'AWS::SQS::Queue')) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });
});

describe('least privilege', () => {
  it('grants no wildcard action to any of our functions', () => {
    for (const [id] of ourFunctions().all) {
      for (const statement of statementsOf(id)) for (const action of actionsOf(statement)) expect(action, id).not.toContain('*');
    }
  });

  it('lets each function reach only what its handler uses', () => {
    const { api, contentIndexer, resolutionIndexer } = ourFunctions();
    const actions = (id: string) => new Set(statementsOf(id).flatMap(actionsOf));
    const vpcAndTracing = [
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      ...VPC_ACTIONS,
    ];
    expect([...actions(api[0])].sort()).toEqual(
      [
        ...vpcAndTracing,
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:Query',
        'dynamodb:Scan',
        's3:GetObject',
        's3:ListBucket',
        'es:ESHttpGet',
        'es:ESHttpHead',
        'es:ESHttpPost',
      ].sort(),
    );
    const indexer = [...actions(contentIndexer[0])];
    expect(indexer.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(indexer).toEqual(
      expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 'es:ESHttpPut', 'es:ESHttpDelete']),
    );
    const streamReader = [...actions(resolutionIndexer[0])];
    expect(streamReader.filter((a) => a.startsWith('s3:') || a === 'es:ESHttpDelete')).toEqual([]);
    expect(streamReader.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(
      ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'].sort(),
    );
  });

  it('scopes OpenSearch access by index: the API reads both indices, each indexer writes only its own', () => {
    const esResources = (id: string) =>
      statementsOf(id)
        .filter((s) => actionsOf(s).some((a) => a.startsWith('es:')))
        .map((s) => text(s.Resource))
        .join(' ');
    const { api, contentIndexer, resolutionIndexer } = ourFunctions();
    expect(esResources(api[0])).toContain('/kb-runbooks*');
    expect(esResources(api[0])).toContain('/kb-resolutions*');
    expect(esResources(contentIndexer[0])).not.toContain('kb-resolutions');
    expect(esResources(resolutionIndexer[0])).not.toContain('kb-runbooks');
    // The API may not write to either index.
    const apiWrites = statementsOf(api[0]).filter((s) => actionsOf(s).some((a) => a === 'es:ESHttpPut' || a === 'es:ESHttpDelete'));
    expect(apiWrites).toEqual([]);
  });

  it('limits the API function to the synonyms file in the content bucket', () => {
    const s3 = statementsOf(ourFunctions().api[0]).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(text(s3.map((s) => s.Resource))).toContain('/synonyms.txt');
    expect(text(s3.map((s) => s.Resource))).not.toMatch(/\/\*"/);
  });
});

describe('API', () => {
  it('is a REST API with access logs, tracing and a method per route of the app (and one for agents, see sign-in.test.ts)', () => {
    app.templates.api.resourceCountIs('AWS::ApiGateway::RestApi', 2);
    app.templates.api.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    const methods = resources(app.templates.api, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(methods).toHaveLength(API_ROUTES.length + AGENT_ROUTES.length);
    const keyed = methods.filter(([, m]) => m.Properties.ApiKeyRequired === true);
    expect(keyed).toHaveLength(API_ROUTES.filter((r) => r.apiKey).length);
  });

  it('declares exactly the routes the Hono app serves, public exactly where the app declares no scope', async () => {
    const hono = createApp({ search: {} as never, index: {} as never, writeBack: {} as never });
    const document = (await (await hono.request('/openapi.json')).json()) as {
      paths?: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const served = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.security?.length === 0 ? 'public' : 'key'}`),
    );
    const declared = API_ROUTES.filter((r) => r.path !== '/openapi.json' && r.path !== '/docs').map(
      (r) => `${r.method} ${r.path} ${r.apiKey ? 'key' : 'public'}`,
    );
    expect(declared.sort()).toEqual(served.sort());
  });

  it('gives each client its own key and usage plan with throttling, and the function their scopes', () => {
    const { clients } = app.stacks.config;
    app.templates.api.resourceCountIs('AWS::ApiGateway::ApiKey', clients.length);
    app.templates.api.resourceCountIs('AWS::ApiGateway::UsagePlan', clients.length);
    app.templates.api.resourceCountIs('AWS::ApiGateway::UsagePlanKey', clients.length);
    for (const client of clients) {
      app.templates.api.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Description: Match.stringLikeRegexp(`^runbook-kb ${client.name}:`),
        Throttle: { RateLimit: client.rateLimit, BurstLimit: client.burstLimit },
      });
    }
    const variables = (ourFunctions().api[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const clientsJson = text(variables.KB_API_CLIENTS);
    for (const client of clients) expect(clientsJson).toContain(`\\"name\\":\\"${client.name}\\"`);
  });

  it('answers CORS preflights for the web origin only', () => {
    const options = resources(app.templates.api, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod === 'OPTIONS');
    expect(options.length).toBeGreaterThan(0);
    for (const [, m] of options) {
      const headers = text(m.Properties.Integration);
      expect(headers).toContain('Access-Control-Allow-Origin');
      expect(headers).toContain('RunbookKb-dev-Web');
      expect(headers).not.toContain(`'*'`);
    }
  });
});

describe('web', () => {
  it('serves a private bucket through CloudFront with origin access control over HTTPS', () => {
    app.templates.web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    app.templates.web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Logging: Match.anyValue(),
      }),
    });
  });

  it('publishes the web files with a config.js carrying the agents’ API URL and sign-in, and no key', () => {
    const deployments = resources(app.templates.api, 'Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(2);
    const site = deployments.find(([id]) => id.startsWith('WebPublish'));
    const markers = text(site?.[1].Properties.SourceMarkers);
    expect(markers).toMatch(/AgentHttp/);
    expect(markers).toMatch(/SignInAgentsWebApp/);
    expect(markers).toMatch(/SignInAgentsHostedUi/);
    expect(markers).not.toMatch(/ApiKey|KeyValue|"Ref":"HttpApi/);
    expect(site?.[1].Properties.DistributionPaths).toEqual(['/*']);
    // Nothing reads a key's value at deploy time any more.
    const policies = resources(app.templates.api, 'AWS::IAM::Policy').map(([, p]) => text(p.Properties.PolicyDocument));
    expect(policies.filter((p) => p.includes('apigateway:GET'))).toEqual([]);
  });
});

describe('operations', () => {
  it('alarms on function errors and throttles, DLQ depth, API 5xx rate and the search cluster', () => {
    const alarms = resources(app.templates.ops, 'AWS::CloudWatch::Alarm');
    const described = alarms.map(([, a]) => `${a.Properties.MetricName ?? 'expr'} ${text(a.Properties.Namespace ?? a.Properties.Metrics)}`);
    const count = (pattern: RegExp) => described.filter((d) => pattern.test(d)).length;
    expect(count(/^Errors /)).toBe(3);
    expect(count(/^Throttles /)).toBe(2);
    expect(count(/^ApproximateNumberOfMessagesVisible /)).toBe(2);
    expect(count(/^IteratorAge /)).toBe(1);
    expect(count(/5XXError/)).toBe(1);
    expect(count(/^ClusterStatus\.red /)).toBe(1);
    expect(count(/^ClusterStatus\.yellow /)).toBe(1);
    expect(count(/^FreeStorageSpace /)).toBe(1);
    for (const [, a] of alarms) expect(text(a.Properties.AlarmActions)).toContain('Alarms');
    app.templates.ops.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    app.templates.ops.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('outputs the API URL, the web URL and how to read each API key', () => {
    const outputs = app.templates.api.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;
    expect(Object.keys(outputs)).toContain('ApiUrl');
    for (const client of app.stacks.config.clients) {
      const output = Object.values(outputs).find((o) => o.Description?.includes(`The ${client.name} API key`));
      expect(text(output?.Value)).toContain('aws apigateway get-api-key --api-key');
    }
    expect(Object.keys(app.templates.web.toJSON().Outputs)).toContain('WebUrl');
  });
});
