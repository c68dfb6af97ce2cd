import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { KbConfig } from '../config.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { asInterface } from '../constructs/as-interface.ts';

export interface DataStackProps extends StackProps {
  config: KbConfig;
}

/** The OpenSearch domain and the network it needs (`-c search=opensearch` only). */
export interface SearchCluster {
  vpc: ec2.Vpc;
  domain: opensearch.Domain;
  /** Functions that call OpenSearch run in this group; the domain admits nothing else. */
  searchClients: ec2.SecurityGroup;
}

/** Where the embedded engine's index artifact lives in the index bucket (the manifest and its versions). */
export const INDEX_PREFIX = 'index/';

/**
 * The one object the content indexer publishes for the API in the index bucket: the taxonomy's
 * escalation queues as JSON, so the API parses no YAML (functions/src/handlers/wiring-s3.ts
 * QUEUES_FILE under S3SettingsFiles' prefix).
 */
export const QUEUES_KEY = 'settings/escalation-queues.json';

/**
 * The stateful stack: everything that holds data and outlives a redeploy of the code.
 * - the content bucket (versioned: a deleted runbook's last version tells which id to remove);
 * - the resolutions table (keys as in functions/src/adapters/dynamodb/table-design.ts);
 * - the index bucket, where the content indexer writes the embedded engine's artifact under
 *   `index/` (a manifest naming the latest version; the previous stays readable);
 * - with `-c search=opensearch` only: the OpenSearch domain, in isolated subnets of its own VPC
 *   (no NAT: the functions reach S3 and DynamoDB through gateway endpoints), reachable on 443
 *   only from the `searchClients` security group, and only with SigV4 requests that the caller's
 *   IAM policy allows.
 *
 * The index artifact has a bucket of its own rather than a prefix of the content bucket: the
 * content bucket's notifications fire on every key (content sits at its root, and S3 filters
 * cannot exclude a prefix), so artifact writes there would invoke the indexer on its own output;
 * and a content repo's CI runs `aws s3 sync content/ --delete`, which would delete the artifact.
 * The index bucket exists in both shapes and its name and ARN are always exported, so switching
 * `search` in either direction never removes an export the API stack still imports.
 */
export class DataStack extends Stack {
  readonly contentBucket: s3.Bucket;
  readonly indexBucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly table: dynamodb.Table;
  /** Absent with `-c search=embedded`: no domain, no VPC. */
  readonly cluster?: SearchCluster;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.logBucket, ['AwsSolutions-S1'], 'This is the access-log bucket: logging its own access would loop.');

    this.contentBucket = new s3.Bucket(this, 'Content', {
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: asInterface<s3.IBucket>(this.logBucket),
      serverAccessLogsPrefix: 'content-bucket/',
      // git is the history; old versions only need to outlive the indexer's look at them.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, 'Resolutions', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      // The change log's items (`CHANGES#<day>`: what each embedded API instance polls for recent
      // write-backs, adapters/dynamodb/dynamodb-change-log.ts) carry `expiresAt`; nothing else does.
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: config.retainData,
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'by-runbook',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    this.indexBucket = new s3.Bucket(this, 'Index', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: asInterface<s3.IBucket>(this.logBucket),
      serverAccessLogsPrefix: 'index-bucket/',
      // Not versioned: each artifact version has keys of its own and the manifest names the
      // current one; the content indexer deletes versions it no longer needs. Derived data (it
      // rebuilds from the content bucket), retained only so a stack delete never fails on it.
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Exported in both shapes: see the class comment.
    this.exportValue(this.indexBucket.bucketName);
    this.exportValue(this.indexBucket.bucketArn);
    if (config.engine === 'opensearch') this.cluster = this.#cluster(config);

    new CfnOutput(this, 'ContentBucketName', {
      value: this.contentBucket.bucketName,
      description: 'Where a content repo syncs content/ (see .github/workflows/sync-content.example.yml)',
    });
    new CfnOutput(this, 'IndexBucketName', {
      value: this.indexBucket.bucketName,
      description: 'The embedded engine’s index artifact (index/manifest.json and its versions)',
    });
  }

  /**
   * The domain, its VPC and security groups. Created in the stack's own scope (not a child
   * construct) so their logical ids are those of deployments made before `search` existed.
   */
  #cluster(config: KbConfig): SearchCluster {
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const network = new ec2.Vpc(this, 'Network', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
      flowLogs: {
        rejected: {
          destination: ec2.FlowLogDestination.toS3(asInterface<s3.IBucket>(this.logBucket), 'vpc-flow-logs/'),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });

    const vpc = asInterface<ec2.IVpc>(network);
    const searchClients = new ec2.SecurityGroup(this, 'SearchClients', {
      vpc,
      description: 'runbook-kb functions that call OpenSearch',
      allowAllOutbound: true,
    });
    const domainGroup = new ec2.SecurityGroup(this, 'SearchDomainGroup', {
      vpc,
      description: 'runbook-kb OpenSearch domain: HTTPS from the functions only',
      allowAllOutbound: false,
    });
    domainGroup.addIngressRule(searchClients, ec2.Port.tcp(443), 'HTTPS from runbook-kb functions');

    const search = config.cluster;
    const subnets = network.isolatedSubnets.slice(0, search.zones);
    // Our own log groups and the resource policy that lets the service write to them, as plain
    // CloudFormation: the construct's default would add a custom resource (a Lambda) to do it.
    const logGroup = (name: string) =>
      new logs.LogGroup(this, name, { retention: config.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.DESTROY });
    const searchLogs = {
      slowSearchLogGroup: logGroup('SearchSlowLogs'),
      slowIndexLogGroup: logGroup('IndexSlowLogs'),
      appLogGroup: logGroup('SearchAppLogs'),
    };
    const logPolicy = new logs.ResourcePolicy(this, 'SearchLogPolicy', {
      policyStatements: [
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('es.amazonaws.com')],
          actions: ['logs:PutLogEvents', 'logs:CreateLogStream'],
          resources: Object.values(searchLogs).map((g) => g.logGroupArn),
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      ],
    });
    const domain = new opensearch.Domain(this, 'Search', {
      version: opensearch.EngineVersion.OPENSEARCH_2_19,
      vpc,
      vpcSubnets: [{ subnets }],
      securityGroups: [domainGroup],
      capacity: {
        dataNodes: search.dataNodes,
        dataNodeInstanceType: search.dataNodeInstanceType,
        ...(search.masterNodes > 0 ? { masterNodes: search.masterNodes, masterNodeInstanceType: search.masterNodeInstanceType } : {}),
        multiAzWithStandbyEnabled: false,
      },
      zoneAwareness: search.zones > 1 ? { enabled: true, availabilityZoneCount: search.zones } : { enabled: false },
      ebs: { volumeSize: search.volumeGiB, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
      logging: { slowSearchLogEnabled: true, slowIndexLogEnabled: true, appLogEnabled: true, ...searchLogs },
      suppressLogsResourcePolicy: true,
      removalPolicy,
    });
    domain.node.addDependency(logPolicy);
    // The domain's resource policy delegates to IAM: a signed request is allowed when the caller's
    // own policy allows it (each function's role names its indices and verbs). Nothing anonymous,
    // no IP rules. Set on the resource itself: the construct's `accessPolicies` would add a
    // custom resource to do the same after creation.
    (domain.node.defaultChild as opensearch.CfnDomain).accessPolicies = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          principals: [new iam.AccountRootPrincipal()],
          actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'],
          resources: [`arn:${this.partition}:es:${this.region}:${this.account}:domain/*`],
        }),
      ],
    }).toJSON();
    acknowledge(
      domain,
      ['AwsSolutions-OS3'],
      'No IP allowlist: the domain is in isolated subnets, its security group admits only the functions’ group, and every request must be SigV4-signed by a role whose policy names the index.',
    );
    if (search.masterNodes === 0) {
      acknowledge(domain, ['AwsSolutions-OS4'], 'dev stage: one small node; prod (-c stage=prod) has three dedicated masters.');
    }
    if (search.zones === 1) {
      acknowledge(domain, ['AwsSolutions-OS7'], 'dev stage: one node in one zone; prod (-c stage=prod) is zone-aware.');
    }

    new CfnOutput(this, 'SearchEndpoint', { value: `https://${domain.domainEndpoint}`, description: 'OpenSearch, inside the VPC' });
    return { vpc: network, domain, searchClients };
  }
}
