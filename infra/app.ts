import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFrom, type KbConfig } from './config.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { OpsStack } from './stacks/ops-stack.ts';
import { WebStack } from './stacks/web-stack.ts';

export interface KbStacks {
  config: KbConfig;
  data: DataStack;
  web: WebStack;
  api: ApiStack;
  ops: OpsStack;
}

/**
 * The runbook-kb stacks, in deploy order: Data (stateful) → Web (hosting) → Api (functions, API,
 * content, web files) → Ops (alarms, dashboard). Stacks are environment-agnostic: no lookups, so
 * `cdk synth` runs offline, and `cdk deploy` targets the account and region of your AWS profile.
 * cdk-nag's AwsSolutions checks run on every synth (`-c nag=false` skips them).
 */
export function createStacks(app: App): KbStacks {
  const config = configFrom(app.node);
  const prefix = config.stackPrefix;
  const data = new DataStack(app, `${prefix}-Data`, { config, description: 'runbook-kb: content bucket, resolutions table, OpenSearch' });
  const web = new WebStack(app, `${prefix}-Web`, { description: 'runbook-kb: web app hosting (S3 + CloudFront)' });
  const api = new ApiStack(app, `${prefix}-Api`, {
    config,
    data,
    web,
    description: 'runbook-kb: functions, API Gateway, content pipeline',
  });
  const ops = new OpsStack(app, `${prefix}-Ops`, { config, data, api, description: 'runbook-kb: alarms and dashboard' });
  Tags.of(app).add('project', 'runbook-kb');
  Tags.of(app).add('stage', config.stage);
  if (app.node.tryGetContext('nag') !== false && app.node.tryGetContext('nag') !== 'false') {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { config, data, web, api, ops };
}
