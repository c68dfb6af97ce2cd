import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemBody } from '../http/problem.ts';

/**
 * What Node's HTTP server does before or around the Hono app, made to speak the API's language.
 * On AWS, API Gateway stands here; locally, @hono/node-server leaves these edges to Node's defaults.
 */

/** Node's parser errors (llhttp codes) by the status they deserve. */
const PARSER_STATUS: Record<string, { status: number; title: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, title: 'Request headers too large', detail: 'The request line and headers are limited to 16 KiB' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 431, title: 'Chunk extensions too large', detail: 'Chunk extensions are limited to 16 KiB' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, title: 'Request timeout', detail: 'The request was not received in time' },
};
const MALFORMED = { status: 400, title: 'Malformed HTTP request', detail: 'The request could not be parsed as HTTP/1.1' };

/** The raw HTTP response for a request Node's parser refused: a problem body, then the connection closes. */
export function parserErrorResponse(code: string | undefined): string {
  const { status, title, detail } = (code && PARSER_STATUS[code]) || MALFORMED;
  const body = JSON.stringify(problemBody(status, title, detail));
  return [
    `HTTP/1.1 ${status} ${title}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Answers parser-level errors (431 for oversized headers, 400 for bad chunking or a malformed
 * request line) with a problem body instead of Node's bare status line. A client that already
 * hung up gets nothing: there is no one to answer.
 */
export function answerClientErrors(server: { on(event: 'clientError', listener: (error: Error, socket: Duplex) => void): unknown }): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(parserErrorResponse(error.code));
  });
}

/** @hono/node-server hands the Node request and response to `fetch` as its environment. */
export interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/**
 * Closes the connection after an answer given before the request body was read (a 413 from the
 * body limit, an auth failure on a big POST). Otherwise the unread rest of the body is left on a
 * kept-alive socket, and a pooling client's next request on it fails (undici's UND_ERR_SOCKET).
 */
export function closeAfterEarlyAnswer<E>(fetch: (request: Request, env: E) => Response | Promise<Response>) {
  return async (request: Request, env: E): Promise<Response> => {
    const response = await fetch(request, env);
    const node = env as Partial<NodeBindings> | undefined;
    if (node?.incoming && node.outgoing && !node.incoming.complete) node.outgoing.shouldKeepAlive = false;
    return response;
  };
}

/** A client that hangs up mid-request: Node's `aborted` error, worth one log line, not a stack trace. */
export function isClientAbort(error: unknown): boolean {
  const e = error as NodeJS.ErrnoException | undefined;
  return e?.code === 'ECONNRESET' && e.message === 'aborted';
}

/** The app's error log: client aborts as one line, anything else in full (it is a bug to look at). */
export function localErrorLog(log: (line: string) => void = (line) => console.warn(line)) {
  return (error: unknown) => {
    if (isClientAbort(error)) log('client closed the connection before sending the whole request body');
    else console.error(error);
  };
}
