import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.ts';

/**
 * The region's API Gateway CloudWatch role: an account-wide setting that a stage with access logs
 * needs, and that a fresh account lacks (the first deploy then fails on the stage and rolls back).
 * Opt-in (`-c apiGatewayAccountRole=true`): the setting is shared by every API of the account and
 * region, so it is set here only when nobody else does. Both are retained when the stack is
 * deleted: the setting would otherwise point at a deleted role and break every API's logging.
 */
export class ApiGatewayAccountRole extends Construct {
  readonly role: iam.Role;
  readonly account: apigw.CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway writes access and execution logs to CloudWatch Logs (account setting)',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account = new apigw.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledge(
      this.role,
      ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]'],
      'The policy AWS documents for the API Gateway account role: API Gateway creates the log groups of every API it logs for.',
    );
  }

  /** Makes the stages of these APIs wait for the account setting. */
  before(...apis: apigw.RestApi[]): this {
    for (const api of apis) api.deploymentStage.node.addDependency(this.account);
    return this;
  }
}
