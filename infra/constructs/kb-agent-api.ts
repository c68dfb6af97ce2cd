import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.ts';
import { API_ROUTES } from './kb-rest-api.ts';
import { addProblemResponses, addRoutes, restApiDefaults } from './rest-api-defaults.ts';

/** Routes agents never call: ticket systems' webhook write-back (a fixed URL with the ticket id in the body). */
const NOT_FOR_AGENTS = new Set(['POST /tickets/{source}/resolutions']);

/** The agents' routes: every keyed route of the API but the webhooks', each behind the Cognito authorizer. */
export const AGENT_ROUTES = API_ROUTES.filter((r) => !NOT_FOR_AGENTS.has(`${r.method} ${r.path}`));

export interface KbAgentApiProps {
  /** Per stage (`runbook-kb-agents-dev`): API Gateway's metrics are keyed by the API's name. */
  name: string;
  handler: lambda.IFunction;
  userPool: cognito.IUserPool;
  webOrigin: string;
  logRetentionDays: number;
  rateLimit?: number;
  burstLimit?: number;
}

/**
 * The API as the web app calls it: the same function and routes as KbRestApi, with API Gateway's
 * Cognito authorizer instead of API keys. A REST method takes either an authorizer or a key, not
 * one or the other, so agents and ticket systems get a stage each; the function sees the
 * verified claims (agents) or the key id (ticket systems) and applies the route's scope itself.
 */
export class KbAgentApi extends Construct {
  readonly api: apigw.RestApi;
  readonly authorizer: apigw.CognitoUserPoolsAuthorizer;

  constructor(scope: Construct, id: string, props: KbAgentApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetentionDays as logs.RetentionDays });
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: props.name,
      description: 'runbook-kb for agents (web app): Cognito sign-in',
      ...restApiDefaults({
        accessLogs,
        webOrigin: props.webOrigin,
        credentialHeader: 'authorization',
        rateLimit: props.rateLimit ?? 100,
        burstLimit: props.burstLimit ?? 200,
      }),
    });
    addProblemResponses(this.api, props.webOrigin, { unauthorized: true });

    this.authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Agents', {
      cognitoUserPools: [props.userPool],
      identitySource: 'method.request.header.Authorization',
      resultsCacheTtl: Duration.minutes(5),
    });
    addRoutes(this.api, props.handler, AGENT_ROUTES, (route) =>
      route.apiKey ? { authorizer: this.authorizer, authorizationType: apigw.AuthorizationType.COGNITO } : {},
    );
    acknowledge(
      this.api,
      ['AwsSolutions-APIG4', 'AwsSolutions-COG4'],
      'Every route but /health, /openapi.json and /docs (public by design) has the Cognito user-pool authorizer.',
    );
    acknowledge(
      this.api,
      ['AwsSolutions-APIG6'],
      'Execution logging needs an account-wide API Gateway CloudWatch role this stack should not take over; access logs record every request.',
    );
    acknowledge(
      this.api,
      ['AwsSolutions-APIG3'],
      'No WAF by default (about $5/month plus rules); sign-in and stage throttling limit abuse.',
    );
  }
}
