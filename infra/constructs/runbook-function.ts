import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge } from './acknowledge.ts';
import { BUNDLING, HANDLERS, type HandlerName } from './bundling.ts';
import { checkModelFiles, MODEL_DIR_IN_LAMBDA, modelCommandHooks } from './model-asset.ts';

/** The repository root: handler entries and the lock file are found from here. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What Lambda needs to attach a function to a VPC (the network-interface half of
 * AWSLambdaVPCAccessExecutionRole). EC2 supports no resource scoping for the Describe actions,
 * and Lambda creates the interfaces in subnets chosen at deploy time, so the resource is `*`.
 */
export const VPC_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
] as const;

export interface RunbookFunctionProps {
  handler: HandlerName;
  description: string;
  environment: Record<string, string>;
  logRetentionDays: number;
  /**
   * With OpenSearch, the functions reach it inside the VPC, in isolated subnets. Without (the
   * embedded engine), none: they run outside any VPC and reach S3 and DynamoDB directly.
   */
  network?: { vpc: ec2.IVpc; securityGroups: ec2.ISecurityGroup[] };
  memorySize?: number;
  timeout?: Duration;
  reservedConcurrentExecutions?: number;
  /**
   * Carry the sentence-embedding model and onnxruntime in the code asset (model-asset.ts) and
   * tell the handler where with `KB_MODEL_DIR`. Synth fails if the model is not installed.
   */
  model?: boolean;
}

/** The house architecture (Graviton), and onnxruntime's name for it (its binaries' folder). */
const ARCHITECTURE = lambda.Architecture.ARM_64;
const ONNX_ARCH = 'arm64';

function retention(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days)) throw new Error(`logRetentionDays must be one of ${allowed.join(', ')} (got ${days})`);
  return days as logs.RetentionDays;
}

/**
 * A runbook-kb Lambda function with the house defaults: Node.js 22 on ARM64 (Graviton: about 20%
 * cheaper per GB-second), the handler bundled by the local esbuild (no Docker) as configured in
 * bundling.ts (with `model`, the embedding model and onnxruntime copied in beside the bundle),
 * source maps on, JSON logs in a log group with a retention, and X-Ray tracing.
 * Its role starts with nothing but writing its own log group and, in a VPC, managing its network
 * interfaces there; the stack adds exactly what the handler uses.
 */
export class RunbookFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RunbookFunctionProps) {
    const { network, model = false } = props;
    if (model) checkModelFiles(REPO_ROOT, ONNX_ARCH);
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: retention(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Not AWSLambdaBasicExecutionRole, which may create and write any log group in the account.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `runbook-kb ${props.handler} function`,
      // Nor AWSLambdaVPCAccessExecutionRole, which grants the same log writes besides the network
      // interfaces: the role writes its own log group only, and manages interfaces in the VPC.
      inlinePolicies: {
        logs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
          ],
        }),
        ...(network
          ? {
              vpc: new iam.PolicyDocument({
                statements: [new iam.PolicyStatement({ sid: 'VpcNetworkInterfaces', actions: [...VPC_ACTIONS], resources: ['*'] })],
              }),
            }
          : {}),
      },
    });
    super(scope, id, {
      role,
      entry: join(REPO_ROOT, HANDLERS[props.handler]),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: ARCHITECTURE,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      ...(network
        ? { vpc: network.vpc, vpcSubnets: { subnets: network.vpc.isolatedSubnets }, securityGroups: network.securityGroups }
        : {}),
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      environment: {
        // Stack traces point at the TypeScript sources (the maps ship beside the bundles).
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
        ...(model ? { KB_MODEL_DIR: MODEL_DIR_IN_LAMBDA } : {}),
      },
      bundling: {
        forceDockerBundling: false,
        target: BUNDLING.target,
        format: OutputFormat.ESM,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourceMap,
        sourcesContent: BUNDLING.sourcesContent,
        mainFields: [...BUNDLING.mainFields],
        externalModules: [...BUNDLING.externalModules],
        banner: BUNDLING.banner,
        ...(model ? { commandHooks: modelCommandHooks(ONNX_ARCH) } : {}),
      },
    });
    acknowledge(
      this,
      ['AwsSolutions-L1'],
      'Node.js 22 is the runtime this project targets and tests (an LTS line); a newer one is a deliberate upgrade.',
    );
    acknowledge(
      role,
      ['AwsSolutions-IAM5[Resource::*]'],
      'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords), the VPC network-interface actions Lambda needs in a VPC (ec2:Describe* and friends) and, for the stream reader, dynamodb:ListStreams support no resource scoping.',
    );
  }
}
