import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './problem.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Rejects request bodies over `maxBytes` with 413 before they are read whole. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'Request body too large', `Bodies are limited to ${maxBytes} bytes`);
    },
  });
}

/**
 * Query parameters must be valid percent-encoded UTF-8: `%FF` would otherwise reach the search
 * engine as a literal or a replacement character.
 */
export const requireUtf8Query: MiddlewareHandler = async (c, next) => {
  const url = c.req.url;
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const [name = '', value = ''] = pair.split('=');
    try {
      decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      const field = safeDecode(name);
      throw new ApiError(400, 'Invalid request', `Query parameter "${field}" is not valid UTF-8`, [
        { field, message: 'not valid percent-encoded UTF-8' },
      ]);
    }
  }
  await next();
};

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * JSON bodies: the right media type, valid UTF-8 and valid JSON, each with its own clear problem,
 * before the schema validator sees them. The parsed body is cached by Hono for the validator.
 */
export const requireJsonBody: MiddlewareHandler = async (c, next) => {
  if (c.req.method !== 'POST' && c.req.method !== 'PUT') return next();
  // Actions without a body (POST /admin/dead-letters/replay) need no media type; routes that
  // require a body still refuse an empty one through their schema.
  const length = c.req.header('content-length');
  if ((length === undefined || length === '0') && !c.req.header('transfer-encoding') && !c.req.header('content-type')) return next();
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(415, 'Unsupported media type', 'Send the body as application/json');
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ApiError(400, 'Invalid request', 'The body is not valid UTF-8', [{ field: 'body', message: 'not valid UTF-8' }]);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'Invalid request', `The body is not valid JSON: ${(error as Error).message}`, [
      { field: 'body', message: 'malformed JSON' },
    ]);
  }
  await next();
};
