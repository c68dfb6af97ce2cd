import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * A stand-in OIDC issuer on 127.0.0.1: a freshly generated RS256 key pair, its JWKS served at
 * `<issuer>/.well-known/jwks.json` as Cognito publishes it, and tokens signed with it.
 */
export async function localIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    if (req.url?.endsWith('/.well-known/jwks.json')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool`;
  const other = await generateKeyPair('RS256');

  /** A token for `sub` in `groups`; `options` spoil it (expired, another issuer, another key, another client). */
  const token = (
    sub: string,
    groups: string[],
    options: { expiresIn?: string | number; issuer?: string; foreignKey?: boolean; clientId?: string } = {},
  ) =>
    new SignJWT({ 'cognito:groups': groups, 'cognito:username': sub, client_id: options.clientId ?? 'web-client', token_use: 'access' })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setSubject(sub)
      .setIssuer(options.issuer ?? issuer)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(options.foreignKey ? other.privateKey : privateKey);

  return { issuer, token, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
