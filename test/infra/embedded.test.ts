import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { learningOptions } from '../../functions/src/app/learning-service.ts';
import { parseClients } from '../../functions/src/contracts/clients.ts';
import { SCOPES } from '../../functions/src/core/access/scopes.ts';
import { REQUIRED_ENV_EMBEDDED } from '../../functions/src/handlers/wiring.ts';
import { configFrom } from '../../infra/config.ts';
import { VPC_ACTIONS } from '../../infra/constructs/runbook-function.ts';
import { QUEUES_KEY } from '../../infra/stacks/data-stack.ts';
import { resources, type Synthesized, synthesize } from './synth.ts';

/*
 * `-c search=embedded` (issue 15), the dev stage's default: no OpenSearch domain and no VPC; the
 * content indexer writes the index artifact under index/ of the index bucket, the API Lambda
 * loads it and reads resolutions from the table. stacks.test.ts covers `-c search=opensearch`.
 */

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Variables = Record<string, unknown>;
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const text = (value: unknown) => JSON.stringify(value);

/** The env contract of issue 15, which the handlers read in embedded mode (wiring.ts's REQUIRED_ENV_EMBEDDED is the part they cannot start without). */
const CONTRACT = {
  api: [
    'KB_SEARCH_ENGINE',
    'KB_INDEX_BUCKET',
    'KB_INDEX_PREFIX',
    'KB_INDEX_REFRESH_SECONDS',
    'KB_TABLE',
    'KB_CONTENT_BUCKET',
    'KB_API_CLIENTS',
    'KB_WEB_ORIGIN',
    'KB_OIDC_ISSUER',
    'KB_OIDC_AUDIENCE',
  ],
  contentIndexer: ['KB_SEARCH_ENGINE', 'KB_INDEX_BUCKET', 'KB_INDEX_PREFIX', 'KB_CONTENT_BUCKET'],
} as const;

let dev: Synthesized;
let prod: Synthesized;
let opensearch: Synthesized;

beforeAll(() => {
  // Prepare: the dev stage's default shape, prod asked to run without a cluster, and dev moved to OpenSearch.
  dev = synthesize();
  prod = synthesize({ stage: 'prod', search: 'embedded' });
  opensearch = synthesize({ search: 'opensearch' });
}, 240_000);

function ourFunctions(app: Synthesized) {
  const all = resources(app.templates.api, 'AWS::Lambda::Function').filter(([, r]) =>
    String(r.Properties.Description ?? '').startsWith('runbook-kb'),
  );
  const by = (word: string) => all.find(([, r]) => String(r.Properties.Description).includes(word));
  return { api: by('HTTP API'), contentIndexer: by('content indexer'), all };
}

const variablesOf = (fn: { Properties: Record<string, unknown> } | undefined): Variables =>
  (fn?.Properties.Environment as { Variables?: Variables } | undefined)?.Variables ?? {};

/** The statements of a function's role: its inline policies and the policies attached to it. */
function statementsOf(app: Synthesized, functionId: string): Statement[] {
  const all = app.templates.api.toJSON().Resources;
  const role = (all[functionId].Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  const inline = (all[role].Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  const attached = resources(app.templates.api, 'AWS::IAM::Policy').filter(([, p]) => text(p.Properties.Roles).includes(role));
  return [
    ...inline.flatMap((p) => p.PolicyDocument.Statement),
    ...attached.flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement),
  ];
}

/** The index bucket's logical id, which its cross-stack export names carry. */
function indexBucketId(app: Synthesized): string {
  const { data } = app.stacks;
  return data.getLogicalId(data.indexBucket.node.defaultChild as CfnBucket);
}

/** The statements that name the index bucket. */
const onIndexBucket = (app: Synthesized, statements: Statement[]) =>
  statements.filter((s) => text(s.Resource).includes(indexBucketId(app)));

describe('the search switch (-c search=embedded|opensearch)', () => {
  const configOf = (context: Record<string, string>) => configFrom(new App({ context }).node);

  it('defaults to embedded for dev and OpenSearch for prod, and takes either for both', () => {
    expect(configOf({}).engine).toBe('embedded');
    expect(configOf({ stage: 'prod' }).engine).toBe('opensearch');
    expect(configOf({ search: 'opensearch' }).engine).toBe('opensearch');
    expect(configOf({ stage: 'prod', search: 'embedded' }).engine).toBe('embedded');
  });

  it('checks the trust per learning source at synth, as the API would at every cold start', () => {
    expect(configOf({}).learningSourceWeights).toBeUndefined();
    expect(configOf({ learningSourceWeights: '{"zendesk": 0.5, "feedback": 0}' }).learningSourceWeights).toEqual({
      zendesk: 0.5,
      feedback: 0,
    });
    expect(() => configOf({ learningSourceWeights: '{"zendesk": 2}' })).toThrow(/zendesk must be a number from 0 to 1/);
    expect(() => configOf({ learningSourceWeights: '{"Zen Desk": 1}' })).toThrow(/bad source "Zen Desk"/);
  });

  // infra/ imports no function code (DESIGN.md), so it checks names with rules of its own: they
  // must not pass synth and then fail every cold start of the API that reads them.
  it('takes no source name, client name or scope at synth that the API would refuse at cold start', () => {
    const accepts = (check: () => unknown) => {
      try {
        check();
        return true;
      } catch {
        return false;
      }
    };
    const names = [
      'jira',
      'service-now',
      '9x',
      'x-',
      '-x',
      'Zendesk',
      'zen desk',
      'zen_desk',
      '',
      'a'.repeat(31),
      'a'.repeat(32),
      'a'.repeat(41),
    ];
    for (const name of names) {
      const weights = JSON.stringify({ [name]: 1 });
      expect(
        accepts(() => configOf({ learningSourceWeights: weights })),
        name,
      ).toBe(accepts(() => learningOptions(weights)));
      const client = { name, scopes: ['search'] };
      if (accepts(() => configOf({ clients: JSON.stringify([client]) }))) {
        expect(
          accepts(() => parseClients(JSON.stringify([{ ...client, keyId: 'k' }]))),
          name,
        ).toBe(true);
      }
    }
    const scopes = JSON.stringify([{ name: 'desk', scopes: [...SCOPES] }]);
    expect(configOf({ clients: scopes }).clients[0]?.scopes).toEqual([...SCOPES]);
    expect(() => configOf({ clients: JSON.stringify([{ name: 'desk', scopes: ['search', 'everything'] }]) })).toThrow(/unknown scopes/);
  });

  it('moves from embedded to OpenSearch with one deploy: the data stack keeps every export the others import', () => {
    // CloudFormation refuses to remove an export another stack still imports, and the data stack
    // deploys first: so what the embedded data stack exports must all still be exported after.
    const exportsOf = (app: Synthesized) =>
      Object.values(app.templates.data.toJSON().Outputs as Record<string, { Export?: { Name: string } }>).flatMap((o) =>
        o.Export ? [o.Export.Name] : [],
      );
    expect(exportsOf(dev).length).toBeGreaterThan(0);
    expect(exportsOf(opensearch)).toEqual(expect.arrayContaining(exportsOf(dev)));
    // The index bucket stays (empty) with OpenSearch: removing it would remove its exports.
    expect(exportsOf(opensearch).filter((name) => name.includes(indexBucketId(opensearch)))).toHaveLength(2);
  });

  it('refuses any other engine, naming the key and the choices', () => {
    expect(() => configOf({ search: 'elasticsearch' })).toThrow('context "search" must be embedded or opensearch (got "elasticsearch")');
    expect(() => configOf({ search: '' })).toThrow(/context "search" must be/);
  });
});

describe.each([
  ['dev', () => dev],
  ['prod', () => prod],
])('embedded, %s stage', (_stage, app) => {
  it('passes cdk-nag, every acknowledgement with a reason', () => {
    expect(app().error).toBeUndefined();
    expect(app().violations.filter((v) => v.severity === 'error')).toEqual([]);
    for (const a of app().acknowledgements.filter((a) => a.id.includes('AwsSolutions-'))) {
      expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(30);
    }
  });

  it('has no OpenSearch domain, no VPC, no flow logs and no security groups', () => {
    for (const template of Object.values(app().templates)) {
      for (const type of [
        'AWS::OpenSearchService::Domain',
        'AWS::EC2::VPC',
        'AWS::EC2::Subnet',
        'AWS::EC2::VPCEndpoint',
        'AWS::EC2::FlowLog',
        'AWS::EC2::SecurityGroup',
      ]) {
        template.resourceCountIs(type, 0);
      }
    }
    expect(app().stacks.data.cluster).toBeUndefined();
  });

  it('runs two functions, none in a VPC nor allowed to manage network interfaces, and reads no stream', () => {
    const { all } = ourFunctions(app());
    expect(all.map(([, r]) => String(r.Properties.Description).split(':')[0]).sort()).toEqual([
      'runbook-kb HTTP API (Hono)',
      'runbook-kb content indexer',
    ]);
    for (const [, fn] of resources(app().templates.api, 'AWS::Lambda::Function')) expect(fn.Properties.VpcConfig).toBeUndefined();
    for (const [id] of all) {
      const actions = statementsOf(app(), id).flatMap(actionsOf);
      for (const action of VPC_ACTIONS) expect(actions, id).not.toContain(action);
      expect(actions.filter((a) => a.startsWith('es:') || a.startsWith('dynamodb:GetRecords'))).toEqual([]);
    }
    app().templates.api.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
  });

  it('keeps the index artifact in a private, encrypted, logged bucket of its own that refuses plain HTTP', () => {
    app().templates.data.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'index-bucket/' }),
    });
    const outputs = app().templates.data.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toContain('IndexBucketName');
    expect(Object.keys(outputs)).not.toContain('SearchEndpoint');
    // The content bucket's notifications fire on every key: the artifact must never land there.
    app().templates.api.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('Content') }),
    });
  });

  it('tells each function the embedded engine and where the index is, and nothing of OpenSearch', () => {
    const { api, contentIndexer } = ourFunctions(app());
    const variables = { api: variablesOf(api?.[1]), contentIndexer: variablesOf(contentIndexer?.[1]) };
    for (const name of ['api', 'contentIndexer'] as const) {
      const keys = Object.keys(variables[name]);
      for (const variable of CONTRACT[name]) expect(keys, `${name} ${variable}`).toContain(variable);
      for (const variable of REQUIRED_ENV_EMBEDDED[name]) expect(keys, `${name} ${variable} (wiring.ts)`).toContain(variable);
      expect(keys.filter((k) => k.startsWith('KB_OPENSEARCH_') || k === 'KB_RUNBOOK_ALIAS' || k === 'KB_INDEX_REPLICAS')).toEqual([]);
      expect(variables[name]).toMatchObject({ KB_SEARCH_ENGINE: 'embedded', KB_INDEX_PREFIX: 'index/' });
      expect(text(variables[name].KB_INDEX_BUCKET)).toContain(`ExportsOutputRef${indexBucketId(app())}`);
    }
    expect(variables.api.KB_INDEX_REFRESH_SECONDS).toBe('30');
  });

  it('gives the API memory for the in-memory index and time for a cold start that loads it', () => {
    const api = ourFunctions(app()).api?.[1];
    // 1,536 MB: the embedding model rides along by default (model-asset.test.ts covers -c model=false at 1,024 MB).
    expect(api?.Properties.MemorySize).toBe(1536);
    expect(api?.Properties.Timeout).toBe(20);
  });

  it('lets the content indexer read, write and delete under index/ only, and list only that prefix; and write the queues', () => {
    const id = ourFunctions(app()).contentIndexer?.[0] ?? '';
    const statements = onIndexBucket(app(), statementsOf(app(), id));
    const queues = statements.filter((s) => s.Sid === 'QueuesWrite');
    expect(queues.flatMap(actionsOf)).toEqual(['s3:PutObject']);
    expect(text(queues.flatMap(resourcesOf))).toContain(`/${QUEUES_KEY}"`);
    const objects = statements.filter((s) => !actionsOf(s).includes('s3:ListBucket') && s.Sid !== 'QueuesWrite');
    expect(objects.flatMap(actionsOf).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    for (const s of objects)
      for (const r of resourcesOf(s)) expect(text(r)).toMatch(new RegExp(`${indexBucketId(app())}.*/index/\\*"\\]\\]\\}$`));
    const list = statements.filter((s) => actionsOf(s).includes('s3:ListBucket'));
    expect(list).toHaveLength(1);
    expect(list[0]?.Condition).toEqual({ StringLike: { 's3:prefix': ['index/', 'index/*'] } });
    // Writes go nowhere else: the content bucket stays read-only to it.
    const writes = statementsOf(app(), id).filter((s) => actionsOf(s).some((a) => a === 's3:PutObject' || a === 's3:DeleteObject'));
    expect(writes).toEqual([...queues, ...objects]);
  });

  it('lets the API read index/ and the queues only (a missing one is a 404: it may list them) and write nothing there', () => {
    const id = ourFunctions(app()).api?.[0] ?? '';
    const all = onIndexBucket(app(), statementsOf(app(), id));
    const queues = all.filter((s) => s.Sid?.startsWith('Queues'));
    expect(queues.map((s) => [s.Sid, s.Action])).toEqual([
      ['QueuesRead', 's3:GetObject'],
      ['QueuesExist', 's3:ListBucket'],
    ]);
    expect(text(resourcesOf(queues[0] as Statement))).toContain(`/${QUEUES_KEY}"`);
    expect(queues[1]?.Condition).toEqual({ StringEquals: { 's3:prefix': QUEUES_KEY } });
    const statements = all.filter((s) => !queues.includes(s));
    expect(statements.flatMap(actionsOf).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    const read = statements.find((s) => actionsOf(s).includes('s3:GetObject'));
    expect(text(resourcesOf(read as Statement).filter((r) => text(r).includes(indexBucketId(app()))))).toMatch(/\/index\/\*/);
    const list = statements.find((s) => actionsOf(s).includes('s3:ListBucket'));
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['index/', 'index/*'] } });
    // It still reads resolutions from the table for suggestions.
    expect(statementsOf(app(), id).flatMap(actionsOf)).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem']));
  });

  it('lets the table expire the change log the API instances poll for write-backs', () => {
    app().templates.data.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('alarms on what exists: no cluster, no stream reader', () => {
    const alarms = resources(app().templates.ops, 'AWS::CloudWatch::Alarm').map(([, a]) => String(a.Properties.MetricName ?? 'expr'));
    expect(alarms.filter((m) => m === 'Errors')).toHaveLength(2);
    expect(alarms.filter((m) => /^ClusterStatus|^FreeStorageSpace|^ClusterIndexWritesBlocked|^IteratorAge/.test(m))).toEqual([]);
    expect(alarms.filter((m) => m === 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
  });
});
