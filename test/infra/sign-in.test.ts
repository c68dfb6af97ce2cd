import { beforeAll, describe, expect, it } from 'vitest';
import { AGENT_ROUTES } from '../../infra/constructs/kb-agent-api.ts';
import { AGENT_GROUPS, webConfigJs } from '../../infra/constructs/kb-sign-in.ts';
import { resources, type Synthesized, synthesize } from './synth.ts';

/*
 * Agents' sign-in on AWS, from the synthesized templates: a user pool with the tier groups and a
 * public PKCE client, the agents' API stage with the Cognito authorizer on every non-public route,
 * and a config.js with no key.
 */

let app: Synthesized;
const text = (value: unknown) => JSON.stringify(value);

beforeAll(() => {
  app = synthesize();
}, 120_000);

describe('agents’ sign-in', () => {
  it('synthesizes with no unacknowledged cdk-nag error', () => {
    expect(app.error).toBeUndefined();
    expect(app.violations.filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('is a user pool without self sign-up, with MFA, the tier groups and a public authorization-code client', () => {
    app.templates.api.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    const groups = resources(app.templates.api, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(Object.keys(AGENT_GROUPS).sort());
    const [[, client]] = resources(app.templates.api, 'AWS::Cognito::UserPoolClient') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.AllowedOAuthFlows).toEqual(['code']);
    expect(text(client.Properties.CallbackURLs)).toContain('RunbookKb-dev-Web');
  });

  it('puts the Cognito authorizer on every agent route but the public ones, and no API key on any', () => {
    const authorizers = resources(app.templates.api, 'AWS::ApiGateway::Authorizer');
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]?.[1].Properties.Type).toBe('COGNITO_USER_POOLS');
    const agentMethods = resources(app.templates.api, 'AWS::ApiGateway::Method').filter(
      ([id, m]) => id.startsWith('AgentHttp') && m.Properties.HttpMethod !== 'OPTIONS',
    );
    expect(agentMethods).toHaveLength(AGENT_ROUTES.length);
    const authorized = agentMethods.filter(([, m]) => m.Properties.AuthorizationType === 'COGNITO_USER_POOLS');
    expect(authorized).toHaveLength(AGENT_ROUTES.filter((r) => r.apiKey).length);
    for (const [, m] of agentMethods) expect(m.Properties.ApiKeyRequired ?? false).toBe(false);
  });

  it('tells the API function the issuer and client to verify bearer tokens against', () => {
    const [, fn] = resources(app.templates.api, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ApiFunction')) ?? [];
    const variables = text((fn?.Properties.Environment as { Variables?: unknown } | undefined)?.Variables);
    expect(variables).toContain('KB_OIDC_ISSUER');
    expect(variables).toContain('cognito-idp.');
    expect(variables).toContain('KB_OIDC_AUDIENCE');
  });

  it('writes a config.js that names the API and the sign-in, never a key', () => {
    const js = webConfigJs({
      apiBase: 'https://api.example.com/v1',
      auth: { domain: 'https://x.auth.eu-west-1.amazoncognito.com', clientId: 'abc' },
    });
    expect(js).toBe(
      'window.__KB_CONFIG__ = {"apiBase":"https://api.example.com/v1","auth":{"domain":"https://x.auth.eu-west-1.amazoncognito.com","clientId":"abc"}};\n',
    );
    expect(js).not.toMatch(/key|secret/i);
  });

  it('serves the web app with a Content-Security-Policy that admits only its own scripts, the API and the sign-in', () => {
    const [[, policy]] = resources(app.templates.web, 'AWS::CloudFront::ResponseHeadersPolicy') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    const csp = text(policy.Properties.ResponseHeadersPolicyConfig);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('execute-api.');
    expect(csp).toContain('amazoncognito.com');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('StrictTransportSecurity');
  });
});
