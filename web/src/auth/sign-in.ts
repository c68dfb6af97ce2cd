/**
 * Agents' sign-in on AWS: the OAuth 2.0 authorization-code flow with PKCE (RFC 7636) against the
 * Cognito user pool's hosted UI, which federates to the organisation's identity provider. The
 * page holds no secret: the app client is public, and the code can only be redeemed with the
 * verifier this tab generated. Tokens live in sessionStorage (this tab, until it closes); the ID
 * token carries the `kb-<tier>` group that decides what the agent may read.
 *
 * Served by `kb serve` there is no `auth` in config.js, and nothing here runs.
 */
export interface AuthConfig {
  /** The hosted UI's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  domain: string;
  clientId: string;
}

const PENDING = 'kb.auth.pending';
const SESSION = 'kb.auth.session';
/** Renew a little before expiry, so a request never leaves with a token that dies on the way. */
const EARLY_MS = 60_000;

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(n)));
const redirectUri = () => `${location.origin}${location.pathname}`;

async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** Sends the browser to the hosted UI; it comes back with `?code=…&state=…`. */
export async function signIn(auth: AuthConfig): Promise<never> {
  const verifier = random(32);
  const state = random(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, hash: location.hash }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    state,
  });
  location.assign(`${auth.domain}/oauth2/authorize?${query}`);
  return new Promise<never>(() => {});
}

/**
 * On the way back from the hosted UI: redeems the code (only with this tab's verifier and state)
 * and removes it from the address bar. Returns the ID token, or undefined when there is none.
 */
export async function completeSignIn(auth: AuthConfig): Promise<string | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return currentToken();
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string; hash: string } | null;
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${location.pathname}${pending?.hash ?? ''}`);
  if (!pending || params.get('state') !== pending.state) return undefined;
  const response = await fetch(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) return undefined;
  const tokens = (await response.json()) as { id_token?: string; expires_in?: number };
  if (!tokens.id_token) return undefined;
  sessionStorage.setItem(SESSION, JSON.stringify({ idToken: tokens.id_token, expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000 }));
  return tokens.id_token;
}

/** The ID token while it is still good. */
export function currentToken(): string | undefined {
  const session = JSON.parse(sessionStorage.getItem(SESSION) ?? 'null') as { idToken: string; expiresAt: number } | null;
  return session && session.expiresAt - EARLY_MS > Date.now() ? session.idToken : undefined;
}

export function signOut(auth: AuthConfig): void {
  sessionStorage.removeItem(SESSION);
  location.assign(`${auth.domain}/logout?${new URLSearchParams({ client_id: auth.clientId, logout_uri: redirectUri() })}`);
}
