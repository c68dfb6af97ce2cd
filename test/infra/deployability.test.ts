import { beforeAll, describe, expect, it } from 'vitest';
import { VPC_ACTIONS } from '../../infra/constructs/runbook-function.ts';
import { resources, type Synthesized, synthesize } from './synth.ts';

/*
 * What a first deploy into a real, fresh account needs (issue 13): the stages' access logs need
 * the account's API Gateway CloudWatch role; reserved concurrency fails where the quota is 10;
 * two stages in one account need APIs of their own names; and roles hold what they use only.
 */

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const text = (value: unknown) => JSON.stringify(value);

let dev: Synthesized;
let fresh: Synthesized;

beforeAll(() => {
  dev = synthesize({ search: 'opensearch' });
  // A prod stage into an account without the API Gateway role and with a concurrency quota of 10.
  fresh = synthesize({ stage: 'prod', apiGatewayAccountRole: 'true', reservedConcurrency: 'false' });
}, 180_000);

const restApis = (app: Synthesized) => resources(app.templates.api, 'AWS::ApiGateway::RestApi').map(([, r]) => r.Properties.Name);
const contentIndexer = (app: Synthesized) =>
  resources(app.templates.api, 'AWS::Lambda::Function').find(([, r]) => String(r.Properties.Description).includes('content indexer'))?.[1];
const roleStatements = (app: Synthesized) =>
  resources(app.templates.api, 'AWS::IAM::Role').flatMap(([id, role]) =>
    ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) =>
      p.PolicyDocument.Statement.map((statement) => ({ role: id, statement })),
    ),
  );

describe('deployable into a fresh account', () => {
  it('names each REST API after its stage, so dev and prod in one account keep separate metrics and alarms', () => {
    expect(restApis(dev).sort()).toEqual(['runbook-kb-agents-dev', 'runbook-kb-dev']);
    expect(restApis(fresh).sort()).toEqual(['runbook-kb-agents-prod', 'runbook-kb-prod']);
  });

  it('sets the API Gateway CloudWatch role only when asked, before the stages that log, and keeps it on delete', () => {
    expect(resources(dev.templates.api, 'AWS::ApiGateway::Account')).toEqual([]);

    const accounts = resources(fresh.templates.api, 'AWS::ApiGateway::Account');
    expect(accounts).toHaveLength(1);
    const [accountId, account] = accounts[0] as (typeof accounts)[number];
    expect(account.DeletionPolicy).toBe('Retain');
    const roleId = (account.Properties.CloudWatchRoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const role = fresh.templates.api.toJSON().Resources[roleId];
    expect(role.DeletionPolicy).toBe('Retain');
    expect(text(role.Properties.AssumeRolePolicyDocument)).toContain('apigateway.amazonaws.com');
    expect(text(role.Properties.ManagedPolicyArns)).toContain('service-role/AmazonAPIGatewayPushToCloudWatchLogs');
    const stages = resources(fresh.templates.api, 'AWS::ApiGateway::Stage');
    expect(stages).toHaveLength(2);
    for (const [, stage] of stages) expect((stage as { DependsOn?: string[] }).DependsOn).toContain(accountId);
  });

  it('reserves one execution for the content indexer unless the account cannot', () => {
    expect(contentIndexer(dev)?.Properties.ReservedConcurrentExecutions).toBe(1);
    expect(contentIndexer(fresh)?.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('gives the functions no log permission beyond their own log group, and no AWS VPC policy', () => {
    const functionRoles = resources(dev.templates.api, 'AWS::Lambda::Function')
      .filter(([, r]) => String(r.Properties.Description).startsWith('runbook-kb'))
      .map(([, r]) => (r.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]);
    expect(functionRoles).toHaveLength(3);
    for (const roleId of functionRoles) {
      const role = dev.templates.api.toJSON().Resources[roleId];
      expect(text(role.Properties.ManagedPolicyArns ?? [])).not.toContain('AWSLambdaVPCAccessExecutionRole');
      const statements = roleStatements(dev)
        .filter((s) => s.role === roleId)
        .map((s) => s.statement);
      const logs = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect(logs.flatMap(actionsOf).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      for (const s of logs) expect(text(s.Resource)).toMatch(/"Fn::GetAtt":\["\w+Logs\w*","Arn"\]/);
      const vpc = statements.find((s) => s.Sid === 'VpcNetworkInterfaces');
      expect(vpc && actionsOf(vpc).sort()).toEqual([...VPC_ACTIONS].sort());
    }
  });

  it('lets the API list the synonyms key only, so a deleted synonyms.txt is a 404, not a 403', () => {
    const policies = resources(dev.templates.api, 'AWS::IAM::Policy').flatMap(
      ([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const list = policies.filter((s) => actionsOf(s).includes('s3:ListBucket') && s.Sid === 'SynonymsExist');
    expect(list).toHaveLength(1);
    expect(list[0]?.Condition).toEqual({ StringEquals: { 's3:prefix': 'synonyms.txt' } });
  });

  it('passes cdk-nag in both shapes', () => {
    expect(dev.violations.filter((v) => v.severity === 'error')).toEqual([]);
    expect(fresh.violations.filter((v) => v.severity === 'error')).toEqual([]);
    expect(fresh.error).toBeUndefined();
  });
});
