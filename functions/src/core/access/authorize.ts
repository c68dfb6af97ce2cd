import type { Identity, RouteAccess } from './scopes.ts';

export type Decision = { allowed: true } | { allowed: false; status: 401 | 403; detail: string };

/**
 * May `identity` call a route that needs `access`? `source` is the `{source}` of a resolution
 * route: a ticket system's key writes and reads only under its own.
 *
 * @example authorize(jiraClient, 'resolve', 'zendesk') // { allowed: false, status: 403, … }
 */
export function authorize(identity: Identity | undefined, access: RouteAccess, source?: string): Decision {
  if (access === 'public') return { allowed: true };
  if (!identity) {
    return { allowed: false, status: 401, detail: 'Sign in (Authorization: Bearer <token>) or send an API key in the x-api-key header' };
  }
  if (!identity.scopes.includes(access)) {
    return { allowed: false, status: 403, detail: `${identity.name} lacks the ${access} scope` };
  }
  if (access === 'resolve' && source !== undefined && !identity.sources.includes('*') && !identity.sources.includes(source)) {
    return { allowed: false, status: 403, detail: `${identity.name} may not act for source "${source}"` };
  }
  return { allowed: true };
}
