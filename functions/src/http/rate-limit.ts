import type { Context, MiddlewareHandler } from 'hono';
import type { Identity } from '../core/access/scopes.ts';
import { ApiError } from './problem.ts';

export interface RateLimit {
  /** Requests per second, sustained. */
  rate: number;
  /** Requests that may come at once before the rate applies. */
  burst: number;
  /** Which requests count: all, or only writes (POST, PUT). */
  methods?: 'all' | 'writes';
}

/** Defaults for `kb serve`: generous for a person or a ticket system, tight for writes that feed ranking. */
export const LOCAL_LIMITS: readonly RateLimit[] = [
  { rate: 50, burst: 200, methods: 'all' },
  { rate: 2, burst: 30, methods: 'writes' },
];

/** Buckets kept at most; beyond it the oldest is forgotten (its caller starts with a full bucket). */
const MAX_BUCKETS = 10_000;

/**
 * Token buckets per identity (each ticket-system key, each agent): a 429 problem with
 * `Retry-After` when one is empty. The local developer is not limited; public routes (no
 * identity) are not either. On AWS, API Gateway usage plans do the same per key.
 */
export function rateLimit(
  limit: RateLimit,
  identityOf: (c: Context) => Identity | undefined,
  now = () => performance.now(),
): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (c, next) => {
    const identity = identityOf(c);
    const counted = limit.methods !== 'writes' || c.req.method === 'POST' || c.req.method === 'PUT';
    if (!identity || identity.kind === 'local' || !counted) return next();
    const t = now();
    const bucket = buckets.get(identity.id) ?? { tokens: limit.burst, at: t };
    buckets.delete(identity.id);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.rate);
    bucket.at = t;
    if (bucket.tokens < 1) {
      buckets.set(identity.id, bucket);
      const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.rate));
      throw new ApiError(429, 'Too many requests', `${identity.name} sent too many requests; try again in ${wait} s`, undefined, {
        'Retry-After': String(wait),
      });
    }
    bucket.tokens -= 1;
    buckets.set(identity.id, bucket);
    if (buckets.size > MAX_BUCKETS) buckets.delete(buckets.keys().next().value as string);
    await next();
  };
}
