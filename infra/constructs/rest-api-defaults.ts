import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';

/**
 * What both REST APIs (ticket systems' with keys, agents' with sign-in) share: the stage, CORS
 * for the web app only, RFC 9457 bodies for API Gateway's own refusals, and one method per route.
 */
export interface StageSettings {
  accessLogs: logs.ILogGroup;
  webOrigin: string;
  /** The header that carries the caller's credential, allowed in CORS preflights. */
  credentialHeader: 'x-api-key' | 'authorization';
  rateLimit: number;
  burstLimit: number;
}

/** RestApi options for a stage `v1` with tracing, metrics, JSON access logs and throttling. */
export function restApiDefaults(
  settings: StageSettings,
): Pick<apigw.RestApiProps, 'endpointTypes' | 'cloudWatchRole' | 'deployOptions' | 'defaultCorsPreflightOptions'> {
  return {
    endpointTypes: [apigw.EndpointType.REGIONAL],
    cloudWatchRole: false,
    deployOptions: {
      stageName: 'v1',
      tracingEnabled: true,
      metricsEnabled: true,
      throttlingRateLimit: settings.rateLimit,
      throttlingBurstLimit: settings.burstLimit,
      accessLogDestination: new apigw.LogGroupLogDestination(settings.accessLogs),
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
    // Preflights are answered by API Gateway; the function adds the same headers to responses.
    defaultCorsPreflightOptions: {
      allowOrigins: [settings.webOrigin],
      allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
      allowHeaders: ['content-type', settings.credentialHeader],
      maxAge: Duration.hours(1),
    },
  };
}

/** RFC 9457 problem bodies for API Gateway's own refusals (bad key, throttled, unknown route). */
const problemTemplate = (title: string) => ({
  'application/json': JSON.stringify({ type: 'about:blank', title, detail: '$context.error.message', instance: '$context.path' }).replace(
    '"$context.error.message"',
    '$context.error.messageString',
  ),
});

/** Problem bodies, with the web app's CORS headers, for what API Gateway refuses before the function runs. */
export function addProblemResponses(api: apigw.RestApi, webOrigin: string, options: { unauthorized?: boolean } = {}): void {
  const responseHeaders = { 'Access-Control-Allow-Origin': `'${webOrigin}'`, Vary: "'Origin'" };
  if (options.unauthorized) {
    api.addGatewayResponse('Unauthorized', {
      type: apigw.ResponseType.UNAUTHORIZED,
      statusCode: '401',
      responseHeaders,
      templates: problemTemplate('Unauthorized'),
    });
  }
  api.addGatewayResponse('Default4xx', {
    type: apigw.ResponseType.DEFAULT_4XX,
    responseHeaders,
    templates: problemTemplate('Request refused'),
  });
  api.addGatewayResponse('Default5xx', {
    type: apigw.ResponseType.DEFAULT_5XX,
    responseHeaders,
    templates: problemTemplate('Gateway error'),
  });
  // An unknown path is "missing authentication token" (403) to API Gateway; callers expect 404.
  api.addGatewayResponse('UnknownRoute', {
    type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '404',
    responseHeaders,
    templates: problemTemplate('Not found'),
  });
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  apiKey: boolean;
}

/**
 * One method per route, all on the function. Path parameters are checked here; bodies by the
 * function, against the zod schemas that also generate the OpenAPI document (models in API
 * Gateway would be a second copy of them).
 */
export function addRoutes(
  api: apigw.RestApi,
  handler: lambda.IFunction,
  routes: readonly Route[],
  access: (route: Route) => Pick<apigw.MethodOptions, 'apiKeyRequired' | 'authorizer' | 'authorizationType'>,
): void {
  const validator = api.addRequestValidator('Parameters', { validateRequestParameters: true, validateRequestBody: true });
  const integration = new apigw.LambdaIntegration(handler, { proxy: true, allowTestInvoke: false });
  for (const route of routes) {
    const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => `method.request.path.${m[1]}`);
    api.root.resourceForPath(route.path).addMethod(route.method, integration, {
      ...access(route),
      requestValidator: validator,
      requestParameters: Object.fromEntries(pathParameters.map((p) => [p, true])),
    });
  }
}
