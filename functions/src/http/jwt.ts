import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { AgentClaims } from '../core/access/identities.ts';
import { ApiError } from './problem.ts';

export interface OidcOptions {
  /** The issuer (`iss`), e.g. `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC`; its JWKS is at `/.well-known/jwks.json`. */
  issuer: string;
  /** Accepted client ids: a token's `aud` (ID tokens) or `client_id` (Cognito access tokens). Any when absent. */
  audience?: readonly string[];
  /** Where the issuer publishes its keys, when not at `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** The claim holding group names: Cognito's `cognito:groups` and the common `groups` are read by default. */
  groupsClaim?: string;
}

export type VerifyToken = (token: string) => Promise<AgentClaims>;

/** Tokens may be a little early or late on a machine whose clock drifts. */
const CLOCK_TOLERANCE_S = 30;

/**
 * Verifies an agent's JWT against the issuer's published keys (fetched once, cached, refetched
 * when a token names an unknown key): signature (RS256/ES256 only, never `none` or HMAC), issuer,
 * expiry and, when configured, the client id. Any failure is a 401 that says what was wrong.
 */
export function oidcVerifier(options: OidcOptions): VerifyToken {
  const issuer = options.issuer.replace(/\/+$/, '');
  const jwks = createRemoteJWKSet(new URL(options.jwksUri ?? `${issuer}/.well-known/jwks.json`), { timeoutDuration: 5_000 });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256', 'ES256'], clockTolerance: CLOCK_TOLERANCE_S }));
    } catch (error) {
      throw invalidToken(reason(error));
    }
    const client = typeof payload.client_id === 'string' ? payload.client_id : undefined;
    const audiences = [...(Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : []), ...(client ? [client] : [])];
    if (options.audience && !audiences.some((a) => options.audience?.includes(a))) throw invalidToken('it was issued to another client');
    if (!payload.sub) throw invalidToken('it names no subject');
    return { sub: payload.sub, ...usernameOf(payload), groups: groupsOf(payload, options.groupsClaim) };
  };
}

function usernameOf(payload: JWTPayload): { username?: string } {
  for (const claim of ['cognito:username', 'preferred_username', 'email', 'username']) {
    const value = payload[claim];
    if (typeof value === 'string' && value) return { username: value };
  }
  return {};
}

/** Group names from a claim that is a list, or (API Gateway's rendering of one) a comma- or space-separated string. */
export function groupsOf(claims: Record<string, unknown>, claim?: string): string[] {
  const names = claim ? [claim] : ['cognito:groups', 'groups'];
  return names.flatMap((name) => {
    const value = claims[name];
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
    if (typeof value === 'string')
      return value
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/)
        .filter(Boolean);
    return [];
  });
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `its ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed)
    return 'its signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not accepted';
  if (error instanceof errors.JWKSTimeout || (error instanceof errors.JOSEError && error.code === 'ERR_JWKS_INVALID')) {
    return "the issuer's keys could not be fetched";
  }
  return 'it is not a valid JWT';
}

function invalidToken(why: string): ApiError {
  return new ApiError(401, 'Unauthorized', `The bearer token is not accepted: ${why}`, undefined, {
    'WWW-Authenticate': 'Bearer error="invalid_token"',
  });
}

/** The token of an `Authorization: Bearer …` header; undefined when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header) : null;
  if (header && !match) throw invalidToken('the Authorization header is not "Bearer <token>"');
  return match?.[1];
}
