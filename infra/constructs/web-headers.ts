import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';

/**
 * The web app's Content-Security-Policy on CloudFront, the counterpart of `kb serve`'s
 * (functions/src/http/security-headers.ts): its own scripts and styles only, API calls to API
 * Gateway and the sign-in to Cognito of this region. The web stack deploys before the API, so
 * those are named by their AWS domains rather than their (not yet known) URLs.
 */
export function webContentSecurityPolicy(region: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' https://*.execute-api.${region}.amazonaws.com https://*.auth.${region}.amazoncognito.com`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Security headers for every file CloudFront serves: CSP, HSTS, nosniff, no framing, no referrer. */
export function webHeadersPolicy(scope: Construct, id: string): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment: 'runbook-kb web app: CSP and the usual security headers',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: webContentSecurityPolicy(Stack.of(scope).region), override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      xssProtection: { protection: false, override: true },
    },
  });
}
