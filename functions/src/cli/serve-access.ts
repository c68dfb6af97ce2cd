import { commaList } from '../core/text/comma-list.ts';
import type { LocalAccessOptions } from '../local/access-platform.ts';
import { tierOption } from './args.ts';

/** `kb serve`'s access flags; each has an environment variable, as a service manager would set it. */
export const ACCESS_FLAGS = {
  tier: {
    type: 'string',
    value: 'TIER',
    help: "the local developer's tier on 127.0.0.1 without sign-in (default: $KB_LOCAL_TIER, else infra)",
  },
  'oidc-issuer': { type: 'string', value: 'URL', help: 'agents sign in with tokens of this issuer (default: $KB_OIDC_ISSUER)' },
  'oidc-audience': { type: 'string', value: 'IDS', help: 'accepted client ids, comma-separated (default: $KB_OIDC_AUDIENCE)' },
  'allowed-host': { type: 'string', value: 'NAMES', help: 'host names to answer besides loopback (default: $KB_ALLOWED_HOSTS)' },
  'web-origin': { type: 'string', value: 'ORIGIN', help: 'a browser origin allowed to call the API (default: $KB_WEB_ORIGIN)' },
} as const;

type Values = { [K in keyof typeof ACCESS_FLAGS]?: string | undefined };

export function accessOptions(values: Values, env: NodeJS.ProcessEnv = process.env): LocalAccessOptions {
  const developerTier = tierOption(values.tier ?? env.KB_LOCAL_TIER, '--tier');
  const issuer = values['oidc-issuer'] ?? env.KB_OIDC_ISSUER;
  const audience = commaList(values['oidc-audience'] ?? env.KB_OIDC_AUDIENCE);
  const allowedHosts = commaList(values['allowed-host'] ?? env.KB_ALLOWED_HOSTS);
  const webOrigin = values['web-origin'] ?? env.KB_WEB_ORIGIN;
  return {
    ...(developerTier ? { developerTier } : {}),
    ...(issuer
      ? {
          oidc: {
            issuer,
            ...(audience.length > 0 ? { audience } : {}),
            ...(env.KB_OIDC_JWKS_URI ? { jwksUri: env.KB_OIDC_JWKS_URI } : {}),
          },
        }
      : {}),
    ...(allowedHosts.length > 0 ? { allowedHosts } : {}),
    ...(webOrigin ? { webOrigin } : {}),
  };
}
