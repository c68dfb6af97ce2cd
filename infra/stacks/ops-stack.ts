import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { KbConfig } from '../config.ts';
import type { RunbookFunction } from '../constructs/runbook-function.ts';
import type { ApiStack } from './api-stack.ts';
import type { DataStack } from './data-stack.ts';

export interface OpsStackProps extends StackProps {
  config: KbConfig;
  data: DataStack;
  api: ApiStack;
}

/**
 * Alarms and a dashboard. Every alarm notifies one SNS topic (e-mailed to `alarmEmail` when set).
 * Thresholds are for a help desk's traffic: any error or throttle is worth a look; the API alarms
 * on its 5xx *rate*, so a busy hour with a few failures does not page while a broken backend does.
 */
export class OpsStack extends Stack {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OpsStackProps) {
    super(scope, id, props);
    const { config, data, api } = props;

    // CloudWatch may only publish to an encrypted topic whose key lets it: hence a customer key.
    const key = new kms.Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: 'runbook-kb alarm topic' });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'runbook-kb alarms', masterKey: key, enforceSSL: true });
    if (config.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    const notify = new actions.SnsAction(this.topic);

    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string, periods = 1) => {
      const created = new cloudwatch.Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.push(created);
      return created;
    };
    const five = Duration.minutes(5);

    // Functions: errors for each; throttles for those that must never wait. The content
    // indexer runs one at a time by design, so its throttles are expected (S3 events queue).
    for (const [name, fn] of Object.entries(api.functions).filter((e): e is [string, RunbookFunction] => e[1] !== undefined)) {
      const label = name[0]?.toUpperCase() + name.slice(1);
      alarm(`${label}Errors`, fn.metricErrors({ period: five, statistic: 'Sum' }), 1, `${name}: the function failed`);
      if (name !== 'contentIndexer')
        alarm(`${label}Throttles`, fn.metricThrottles({ period: five, statistic: 'Sum' }), 1, `${name}: invocations throttled`);
    }
    // The stream reader exists with OpenSearch only (embedded: the API reads the table itself).
    const iteratorAge = api.functions.resolutionIndexer?.metric('IteratorAge', { period: five, statistic: 'Maximum' });
    if (iteratorAge) {
      alarm('ResolutionStreamBehind', iteratorAge, 5 * 60_000, 'resolution indexer is more than 5 minutes behind the table', 2);
    }

    const queues = Object.entries(api.deadLetterQueues).filter((e): e is [string, sqs.Queue] => e[1] !== undefined);
    for (const [name, queue] of queues) {
      const label = name[0]?.toUpperCase() + name.slice(1);
      alarm(
        `${label}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum' }),
        1,
        `${name}: events gave up and are in the dead-letter queue`,
      );
    }

    const rest = api.api.api;
    const requests = rest.metricCount({ period: five, statistic: 'Sum' });
    const serverErrors = rest.metricServerError({ period: five, statistic: 'Sum' });
    const errorRate = new cloudwatch.MathExpression({
      expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      label: 'API 5xx %',
      period: five,
    });
    alarm('Api5xxRate', errorRate, 5, 'API: 5% or more of requests answered 5xx (with at least 20 requests in 5 minutes)', 2);

    const domain = data.cluster?.domain;
    const freeStorage = domain ? this.#clusterAlarms(domain, config, alarm, notify) : undefined;

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(6) });
    const fns = Object.values(api.functions).filter((f) => f !== undefined);
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API requests and 5xx', left: [requests], right: [serverErrors], width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'API latency (p50, p99)',
        left: [rest.metricLatency({ period: five, statistic: 'p50' }), rest.metricLatency({ period: five, statistic: 'p99' })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'API 5xx %', left: [errorRate], width: 8 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Function errors', left: fns.map((f) => f.metricErrors({ period: five })), width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'Function duration p99',
        left: fns.map((f) => f.metricDuration({ period: five, statistic: 'p99' })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Indexing backlog',
        left: iteratorAge ? [iteratorAge] : [],
        right: queues.map(([, q]) => q.metricApproximateNumberOfMessagesVisible({ period: five })),
        width: 8,
      }),
    );
    if (domain && freeStorage) {
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'OpenSearch status (red, yellow)',
          left: [domain.metricClusterStatusRed({ period: five }), domain.metricClusterStatusYellow({ period: five })],
          width: 8,
        }),
        new cloudwatch.GraphWidget({ title: 'OpenSearch free storage (MiB)', left: [freeStorage], width: 8 }),
        new cloudwatch.GraphWidget({ title: 'OpenSearch CPU %', left: [domain.metricCPUUtilization({ period: five })], width: 8 }),
      );
    }

    new CfnOutput(this, 'AlarmTopic', { value: this.topic.topicArn, description: 'Subscribe to receive runbook-kb alarms' });
  }

  /** The cluster's alarms (OpenSearch only); returns the free-storage metric for the dashboard. */
  #clusterAlarms(
    domain: opensearch.Domain,
    config: KbConfig,
    alarm: (id: string, metric: cloudwatch.IMetric, threshold: number, description: string, periods?: number) => cloudwatch.Alarm,
    notify: actions.SnsAction,
  ): cloudwatch.IMetric {
    const five = Duration.minutes(5);
    alarm(
      'SearchClusterRed',
      domain.metricClusterStatusRed({ period: Duration.minutes(1), statistic: 'Maximum' }),
      1,
      'OpenSearch: a primary shard is unassigned (red)',
    );
    alarm(
      'SearchClusterYellow',
      domain.metricClusterStatusYellow({ period: five, statistic: 'Maximum' }),
      1,
      'OpenSearch: a replica is unassigned (yellow)',
      3,
    );
    // FreeStorageSpace is in MiB, per node: alarm below a quarter of a data node's volume.
    const freeStorage = domain.metricFreeStorageSpace({ period: five, statistic: 'Minimum' });
    const lowStorage = new cloudwatch.Alarm(this, 'SearchStorageLow', {
      metric: freeStorage,
      threshold: config.cluster.volumeGiB * 1024 * 0.25,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: 'OpenSearch: less than 25% of a node’s storage is free',
    });
    lowStorage.addAlarmAction(notify);
    lowStorage.addOkAction(notify);
    this.alarms.push(lowStorage);
    alarm(
      'SearchWritesBlocked',
      domain.metricClusterIndexWritesBlocked({ period: five, statistic: 'Maximum' }),
      1,
      'OpenSearch: index writes are blocked',
    );
    return freeStorage;
  }
}
