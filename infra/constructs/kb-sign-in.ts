import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.ts';

/** The groups that grant a tier (the highest wins) and the admin scope; functions/src/core/access reads the same names. */
export const AGENT_GROUPS = {
  'kb-l1': 'Help desk (L1): reads L1 runbooks',
  'kb-l2': 'Support engineers (L2)',
  'kb-l3': 'System administrators (L3)',
  'kb-infra': 'Infrastructure engineers: every runbook',
  'kb-admin': 'Knowledge managers: the gap report and dead letters (with a tier group)',
} as const;

export interface KbSignInProps {
  /** The web app's origin: the only place the hosted UI sends codes back to. */
  webOrigin: string;
  /** Keep the pool (and its local users) when the stack is deleted. */
  retain: boolean;
}

/**
 * Agents' sign-in: a Cognito user pool with the tier groups, its hosted UI, and one public app
 * client for the web app (authorization code + PKCE; no client secret, none could be kept in a
 * browser). Users can be created in the pool out of the box; an organisation federates its own
 * identity provider (Entra ID, Okta: SAML or OIDC) to it and maps its groups to `kb-*`.
 */
export class KbSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: KbSignInProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Agents', {
      // Agents are invited (or federated), never self-registered: signing up is not access.
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: false },
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const [name, description] of Object.entries(AGENT_GROUPS)) {
      new cognito.CfnUserPoolGroup(this, `Group-${name}`, { userPoolId: this.userPool.userPoolId, groupName: name, description });
    }
    const callback = `${props.webOrigin}/`;
    this.client = this.userPool.addClient('WebApp', {
      generateSecret: false,
      authFlows: { userSrp: false, userPassword: false, adminUserPassword: false, custom: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [callback],
        logoutUrls: [callback],
      },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.domain = this.userPool.addDomain('HostedUi', {
      // Unique per account and stack; CloudFormation cannot generate one for a Cognito prefix.
      cognitoDomain: {
        domainPrefix: `runbook-kb-${Stack.of(this)
          .stackName.toLowerCase()
          .replace(/[^a-z0-9-]/g, '')}`.slice(0, 60),
      },
    });
    acknowledge(
      this.userPool,
      ['AwsSolutions-COG3', 'AwsSolutions-COG8'],
      'Threat protection (adaptive authentication) needs the Cognito Plus plan; MFA is required and federated users are protected by their own identity provider.',
    );
  }

  /** The issuer of the pool's tokens (`iss`), for the API function's own verification. */
  get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /** The hosted UI's base URL, for the web app's config.js. */
  get hostedUi(): string {
    return this.domain.baseUrl();
  }
}

/** The web app's public config.js: where the API and the sign-in are. Never a key or secret. */
export function webConfigJs(config: { apiBase: string; auth: { domain: string; clientId: string } }): string {
  return `window.__KB_CONFIG__ = ${JSON.stringify(config)};\n`;
}
