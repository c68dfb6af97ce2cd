import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { WriteBackService } from '../../app/write-back-service.ts';
import { Resolution, ResolutionParams, ResolutionRequest, ResolutionWriteResponse } from '../../contracts/api.ts';
import { json, NOT_FOUND, PROBLEMS } from './shared.ts';

const put = createRoute({
  method: 'put',
  path: '/tickets/{source}/{ticketId}/resolution',
  summary: 'Write back a closed ticket',
  description:
    'Idempotent by (source, ticketId): a replay returns the stored record unchanged, and an update whose closedAt is ' +
    'not newer than the stored one never overwrites it. 201 when created, 200 otherwise; `result` says which.',
  request: { params: ResolutionParams, body: { content: { 'application/json': { schema: ResolutionRequest } }, required: true } },
  responses: {
    201: json(ResolutionWriteResponse, 'Stored for the first time'),
    200: json(ResolutionWriteResponse, 'Updated with newer data, or unchanged (replay or older update)'),
    ...PROBLEMS,
  },
});

const get = createRoute({
  method: 'get',
  path: '/tickets/{source}/{ticketId}/resolution',
  summary: 'Read a written-back resolution',
  request: { params: ResolutionParams },
  responses: { 200: json(Resolution, 'The stored resolution'), ...NOT_FOUND, ...PROBLEMS },
});

export function resolutionRoutes(app: OpenAPIHono, writeBack: WriteBackService): void {
  app.openapi(put, async (c) => {
    const { source, ticketId } = c.req.valid('param');
    const written = await writeBack.putResolution(source, ticketId, c.req.valid('json'));
    return c.json(written, written.result === 'created' ? 201 : 200);
  });
  app.openapi(get, async (c) => {
    const { source, ticketId } = c.req.valid('param');
    return c.json(await writeBack.getResolution(source, ticketId), 200);
  });
}
