import { type AuthConfig, currentToken, signIn } from '../auth/sign-in.ts';
import type {
  FeedbackRequest,
  FeedbackResponse,
  Problem,
  ResolutionRequest,
  ResolutionWriteResponse,
  RunbookResponse,
  SearchParams,
  SearchResponse,
  SuggestInput,
  SuggestResponse,
  Tier,
} from './types.ts';

/**
 * Written by the CDK deployment into config.js (web/public/config.js is the local, empty one).
 * It is public: it holds where the API and the sign-in are, never a key or a secret.
 */
interface DeployedConfig {
  apiBase?: string;
  auth?: AuthConfig;
}
const DEPLOYED = (globalThis as { __KB_CONFIG__?: DeployedConfig }).__KB_CONFIG__ ?? {};

/** Same origin by default (kb serve); on AWS the deployed config points at API Gateway. */
const BASE = (DEPLOYED.apiBase ?? import.meta.env.VITE_API_BASE ?? '').replace(/\/+$/, '');
/** Served by the API's own host (kb serve), which alone can say when content changes. */
export const SAME_ORIGIN = BASE === '';
/** The agents' sign-in, on AWS; served by kb serve on 127.0.0.1 the server knows its user. */
export const AUTH = DEPLOYED.auth;

/** The signed-in agent's token; the API reads their tier from it. */
function authHeader(): Record<string, string> {
  const token = AUTH ? currentToken() : undefined;
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** A failed call: the HTTP status and, when the server sent one, its RFC 9457 problem. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem?: Problem,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}`, { ...init, headers: { accept: 'application/json', ...authHeader(), ...init.headers } });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'The server cannot be reached. Check that it is running.');
  }
  if (response.ok) return (await response.json()) as T;
  // The session ended (expired token): sign in again and come back to the same screen.
  if (response.status === 401 && AUTH) await signIn(AUTH);
  const problem = (await response.json().catch(() => undefined)) as Problem | undefined;
  const message = problem?.detail ?? problem?.title ?? `The server answered ${response.status}`;
  throw new ApiError(response.status, message, problem);
}

const send = <T>(method: 'POST' | 'PUT', path: string, body: unknown, signal?: AbortSignal): Promise<T> =>
  call<T>(path, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, ...(signal ? { signal } : {}) });

const withSignal = (signal?: AbortSignal): RequestInit => (signal ? { signal } : {});

/** Lists go as comma-separated values, as the contract's query schema expects. */
export function searchUrl(params: SearchParams): string {
  const query = new URLSearchParams({ q: params.q });
  for (const key of ['tier', 'category', 'state'] as const) {
    const values = params[key];
    if (values && values.length > 0) query.set(key, values.join(','));
  }
  if (params.audience) query.set('audience', params.audience);
  if (params.limit !== undefined) query.set('limit', String(params.limit));
  if (params.offset !== undefined) query.set('offset', String(params.offset));
  if (params.all) query.set('all', 'true');
  return `/search?${query}`;
}

export const api = {
  search: (params: SearchParams, signal?: AbortSignal) => call<SearchResponse>(searchUrl(params), withSignal(signal)),

  runbook: (id: string, audience: Tier, signal?: AbortSignal) =>
    call<RunbookResponse>(`/runbooks/${encodeURIComponent(id)}?audience=${audience}`, withSignal(signal)),

  suggest: (body: SuggestInput, signal?: AbortSignal) => send<SuggestResponse>('POST', '/suggest', body, signal),

  feedback: (runbookId: string, body: FeedbackRequest) =>
    send<FeedbackResponse>('POST', `/runbooks/${encodeURIComponent(runbookId)}/feedback`, body),

  resolve: (source: string, ticketId: string, body: ResolutionRequest) =>
    send<ResolutionWriteResponse>('PUT', `/tickets/${encodeURIComponent(source)}/${encodeURIComponent(ticketId)}/resolution`, body),
};
