import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.ts';
import { API_ROUTES } from './kb-rest-api.ts';

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
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: props.rateLimit ?? 100,
        throttlingBurstLimit: props.burstLimit ?? 200,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [props.webOrigin],
        allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
        allowHeaders: ['content-type', 'authorization'],
        maxAge: Duration.hours(1),
      },
    });
    const cors = { 'Access-Control-Allow-Origin': `'${props.webOrigin}'`, Vary: "'Origin'" };
    const problem = (title: string) => ({
      'application/json': JSON.stringify({ type: 'about:blank', title, instance: '$context.path' }).replace(
        /}$/,
        ',"detail":$context.error.messageString}',
      ),
    });
    this.api.addGatewayResponse('Unauthorized', {
      type: apigw.ResponseType.UNAUTHORIZED,
      statusCode: '401',
      responseHeaders: cors,
      templates: problem('Unauthorized'),
    });
    this.api.addGatewayResponse('Default4xx', {
      type: apigw.ResponseType.DEFAULT_4XX,
      responseHeaders: cors,
      templates: problem('Request refused'),
    });
    this.api.addGatewayResponse('Default5xx', {
      type: apigw.ResponseType.DEFAULT_5XX,
      responseHeaders: cors,
      templates: problem('Gateway error'),
    });
    this.api.addGatewayResponse('UnknownRoute', {
      type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      responseHeaders: cors,
      templates: problem('Not found'),
    });

    this.authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Agents', {
      cognitoUserPools: [props.userPool],
      identitySource: 'method.request.header.Authorization',
      resultsCacheTtl: Duration.minutes(5),
    });
    const validator = this.api.addRequestValidator('Parameters', { validateRequestParameters: true, validateRequestBody: true });
    const integration = new apigw.LambdaIntegration(props.handler, { proxy: true, allowTestInvoke: false });
    for (const route of AGENT_ROUTES) {
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => `method.request.path.${m[1]}`);
      this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
        ...(route.apiKey ? { authorizer: this.authorizer, authorizationType: apigw.AuthorizationType.COGNITO } : {}),
        requestValidator: validator,
        requestParameters: Object.fromEntries(pathParameters.map((p) => [p, true])),
      });
    }
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
