import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resources, type Synthesized, synthesize } from './synth.ts';

let app: Synthesized;

beforeAll(() => {
  // Prepare: the prod stage, synthesized once for this file.
  app = synthesize({ stage: 'prod', alarmEmail: 'oncall@example.com', learningSourceWeights: '{"zendesk": 0.5}' });
});

describe('prod stage (-c stage=prod)', () => {
  it('passes cdk-nag without the dev-only acknowledgements', () => {
    expect(app.error).toBeUndefined();
    expect(app.violations.filter((v) => v.severity === 'error')).toEqual([]);
    const ids = app.acknowledgements.map((a) => a.id);
    expect(ids.some((id) => id.includes('AwsSolutions-OS4'))).toBe(false);
    expect(ids.some((id) => id.includes('AwsSolutions-OS7'))).toBe(false);
  });

  it('spreads OpenSearch over two zones with three dedicated masters', () => {
    app.templates.data.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({
        InstanceCount: 2,
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 2 },
        DedicatedMasterEnabled: true,
        DedicatedMasterCount: 3,
      }),
    });
    const [[, domain]] = resources(app.templates.data, 'AWS::OpenSearchService::Domain') as [
      [string, { Properties: { VPCOptions: { SubnetIds: unknown[] } } }],
    ];
    expect(domain.Properties.VPCOptions.SubnetIds).toHaveLength(2);
  });

  it('keeps one replica per index and retains the data when the stacks are deleted', () => {
    for (const [, fn] of resources(app.templates.api, 'AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      if ('KB_INDEX_REPLICAS' in variables) expect(variables.KB_INDEX_REPLICAS).toBe('1');
    }
    const table = resources(app.templates.data, 'AWS::DynamoDB::Table')[0]?.[1];
    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.Properties.DeletionProtectionEnabled).toBe(true);
    expect(resources(app.templates.data, 'AWS::OpenSearchService::Domain')[0]?.[1].DeletionPolicy).toBe('Retain');
  });

  it('gives the API, the content indexer and the resolution indexer the embedding model (hybrid retrieval on OpenSearch) and 1,536 MB', () => {
    const functions = resources(app.templates.api, 'AWS::Lambda::Function').filter(([, r]) =>
      String(r.Properties.Description ?? '').startsWith('runbook-kb'),
    );
    const settings = (word: string) => {
      const fn = functions.find(([, r]) => String(r.Properties.Description).includes(word))?.[1];
      const variables = (fn?.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      return { memory: fn?.Properties.MemorySize, engine: variables.KB_SEARCH_ENGINE, modelDir: variables.KB_MODEL_DIR };
    };
    for (const word of ['HTTP API', 'content indexer', 'resolution indexer']) {
      expect(settings(word), word).toEqual({ memory: 1536, engine: 'opensearch', modelDir: '/var/task/model' });
    }
  });

  it('tells the API how far the learning loop trusts each source (-c learningSourceWeights)', () => {
    const api = resources(app.templates.api, 'AWS::Lambda::Function').find(([, r]) =>
      String(r.Properties.Description).includes('HTTP API'),
    );
    const variables = (api?.[1].Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect(variables.KB_LEARNING_SOURCE_WEIGHTS).toBe('{"zendesk":0.5}');
  });

  it('e-mails alarms to the configured address', () => {
    app.templates.ops.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });
});
