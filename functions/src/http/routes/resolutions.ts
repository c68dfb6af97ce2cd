import type { Context } from 'hono';
import type { WriteBackService } from '../../app/write-back-service.ts';
import {
  Resolution,
  ResolutionDelivery,
  ResolutionParams,
  ResolutionRequest,
  ResolutionWriteResponse,
  SourceParams,
} from '../../contracts/api.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, NOT_FOUND, PROBLEMS } from './shared.ts';

const WRITTEN = {
  201: json(ResolutionWriteResponse, 'Stored for the first time'),
  200: json(ResolutionWriteResponse, 'Updated with newer data, or unchanged (replay or older update)'),
  ...PROBLEMS,
};

export function resolutionRoutes(routes: ApiRoutes, writeBack: WriteBackService): void {
  const write = async (c: Context, source: string, ticketId: string, body: ResolutionRequest) => {
    const written = await writeBack.putResolution(source, ticketId, body);
    return c.json(written, written.result === 'created' ? 201 : 200);
  };
  routes.add(
    {
      method: 'put',
      scope: 'resolve',
      path: '/tickets/{source}/{ticketId}/resolution',
      summary: 'Write back a closed ticket',
      description:
        'Idempotent by (source, ticketId): a replay returns the stored record unchanged, and an update whose closedAt is ' +
        'not newer than the stored one never overwrites it. 201 when created, 200 otherwise; `result` says which. ' +
        'A write without `runbookId` keeps the runbook already linked to the ticket; `no-runbook` clears it.',
      request: { params: ResolutionParams, body: ResolutionRequest },
      responses: WRITTEN,
    },
    (c, { params: { source, ticketId }, body }) => write(c, source, ticketId, body),
  );
  routes.add(
    {
      method: 'post',
      scope: 'resolve',
      path: '/tickets/{source}/resolutions',
      summary: 'Write back a closed ticket, its id in the body',
      description:
        'The PUT above for webhook senders that cannot put the ticket id in the URL (a fixed endpoint with a templated body). ' +
        'Same idempotence and answers.',
      request: { params: SourceParams, body: ResolutionDelivery },
      responses: WRITTEN,
    },
    (c, { params: { source }, body: { ticketId, ...body } }) => write(c, source, ticketId, body),
  );
  routes.add(
    {
      method: 'get',
      scope: 'resolve',
      path: '/tickets/{source}/{ticketId}/resolution',
      summary: 'Read a written-back resolution',
      request: { params: ResolutionParams },
      responses: { 200: json(Resolution, 'The stored resolution'), ...NOT_FOUND, ...PROBLEMS },
    },
    async (c, { params: { source, ticketId } }) => c.json(await writeBack.getResolution(source, ticketId), 200),
  );
}
