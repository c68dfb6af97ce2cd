import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ApiClientConfig } from '../config.ts';
import { acknowledge } from './acknowledge.ts';
import { asInterface } from './as-interface.ts';
import { addProblemResponses, addRoutes, type Route, restApiDefaults } from './rest-api-defaults.ts';

/**
 * The routes of the Hono app (functions/src/http/routes), declared one by one rather than as a
 * `{proxy+}` catch-all: API Gateway then refuses unknown paths before they cost an invocation,
 * and each method says whether it needs a key. test/infra checks this list against the app's
 * OpenAPI document, so a new route cannot be forgotten here.
 */
export const API_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/health', apiKey: false },
  { method: 'GET', path: '/openapi.json', apiKey: false },
  { method: 'GET', path: '/docs', apiKey: false },
  { method: 'GET', path: '/search', apiKey: true },
  { method: 'POST', path: '/suggest', apiKey: true },
  { method: 'GET', path: '/runbooks/{id}', apiKey: true },
  { method: 'GET', path: '/runbooks/{id}/usage', apiKey: true },
  { method: 'POST', path: '/runbooks/{id}/feedback', apiKey: true },
  { method: 'GET', path: '/tickets/{source}/{ticketId}/resolution', apiKey: true },
  { method: 'PUT', path: '/tickets/{source}/{ticketId}/resolution', apiKey: true },
  { method: 'POST', path: '/tickets/{source}/resolutions', apiKey: true },
  { method: 'GET', path: '/analytics/gaps', apiKey: true },
  { method: 'GET', path: '/admin/dead-letters', apiKey: true },
  { method: 'POST', path: '/admin/dead-letters/replay', apiKey: true },
];

export interface KbRestApiProps {
  /** Per stage (`runbook-kb-dev`): API Gateway's metrics and alarms are keyed by the API's name. */
  name: string;
  handler: lambda.IFunction;
  clients: readonly ApiClientConfig[];
  /** The web app's origin, the only one CORS admits. */
  webOrigin: string;
  logRetentionDays: number;
  /** Stage-wide throttling, across all keys. */
  rateLimit?: number;
  burstLimit?: number;
}

/**
 * A REST API (not an HTTP API): API keys and usage plans, a key and a plan per ticket system with
 * its own throttling and quota, are built into REST APIs; HTTP APIs would need a Lambda
 * authorizer and a store for keys to do the same. The price: REST adds more latency (roughly
 * 10–20 ms more per request than HTTP APIs) and costs $3.50 instead of $1.00 per million requests.
 */
export class KbRestApi extends Construct {
  readonly api: apigw.RestApi;
  readonly keys = new Map<string, apigw.ApiKey>();
  readonly clients: readonly ApiClientConfig[];

  constructor(scope: Construct, id: string, props: KbRestApiProps) {
    super(scope, id);
    this.clients = props.clients;
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetentionDays as logs.RetentionDays });
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: props.name,
      description: 'runbook-kb: search, suggested fixes, resolutions and feedback',
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      ...restApiDefaults({
        accessLogs,
        webOrigin: props.webOrigin,
        credentialHeader: 'x-api-key',
        rateLimit: props.rateLimit ?? 200,
        burstLimit: props.burstLimit ?? 400,
      }),
    });
    addProblemResponses(this.api, props.webOrigin);
    addRoutes(this.api, props.handler, API_ROUTES, (route) => ({ apiKeyRequired: route.apiKey }));

    for (const client of props.clients) {
      const key = new apigw.ApiKey(this, `Key-${client.name}`, { description: `runbook-kb API key for ${client.name}`, enabled: true });
      const plan = new apigw.UsagePlan(this, `Plan-${client.name}`, {
        description: `runbook-kb ${client.name}: scopes ${client.scopes.join(', ')}`,
        throttle: { rateLimit: client.rateLimit, burstLimit: client.burstLimit },
        ...(client.quotaPerDay ? { quota: { limit: client.quotaPerDay, period: apigw.Period.DAY } } : {}),
        apiStages: [{ api: asInterface<apigw.IRestApi>(this.api), stage: this.api.deploymentStage }],
      });
      plan.addApiKey(key);
      this.keys.set(client.name, key);
    }

    acknowledge(
      this.api,
      ['AwsSolutions-APIG4', 'AwsSolutions-COG4'],
      'Callers are ticket systems and the web app, identified by API keys with usage plans; the function checks each key’s scopes. /health, /openapi.json and /docs are public by design.',
    );
    acknowledge(
      this.api,
      ['AwsSolutions-APIG6'],
      'Execution logging needs an account-wide API Gateway CloudWatch role this stack should not take over; access logs record every request, and errors are logged by the function.',
    );
    acknowledge(
      this.api,
      ['AwsSolutions-APIG3'],
      'No WAF by default (about $5/month plus rules); keys, usage plans and stage throttling limit abuse.',
    );
  }

  /** The JSON the function reads as KB_API_CLIENTS: key id → name, scopes, sources. */
  clientsJson(): string {
    return Stack.of(this).toJsonString(
      this.clients.map((client) => ({
        keyId: this.keys.get(client.name)?.keyId,
        name: client.name,
        scopes: client.scopes,
        ...(client.sources ? { sources: client.sources } : {}),
      })),
    );
  }
}
