import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** An API Gateway REST API (v1 payload) proxy event for stage v1, as API Gateway builds it. */
export function restEvent(
  method: string,
  path: string,
  options: {
    query?: Record<string, string>;
    body?: unknown;
    apiKeyId?: string;
    resource?: string;
    origin?: string;
    /** Claims of a token API Gateway's Cognito user-pool authorizer verified (all strings, groups comma-separated). */
    claims?: Record<string, string>;
  } = {},
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {
    Host: 'abc123defg.execute-api.eu-west-1.amazonaws.com',
    'User-Agent': 'vitest',
    'X-Forwarded-Proto': 'https',
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...(options.apiKeyId ? { 'x-api-key': 'the-key-value' } : {}),
    ...(options.claims ? { Authorization: 'eyJraWQiOiJ0ZXN0In0.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl' } : {}),
  };
  const query = options.query ?? null;
  return {
    resource: options.resource ?? path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: null,
    stageVariables: null,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123defg',
      authorizer: options.claims ? { claims: options.claims, principalId: '' } : undefined,
      domainName: 'abc123defg.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123defg',
      extendedRequestId: randomUUID(),
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: options.apiKeyId ? 'the-key-value' : null,
        apiKeyId: options.apiKeyId ?? null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'vitest',
        userArn: null,
      },
      path: `/v1${path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: options.resource ?? path,
      stage: 'v1',
    },
  };
}
