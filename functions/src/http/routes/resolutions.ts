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
import { flagIgnoredFields, IGNORED_FIELDS_DOC } from '../ignored-fields.ts';
import type { ApiRoutes } from '../openapi.ts';
import { json, NOT_FOUND, PROBLEMS } from './shared.ts';

const WRITTEN = {
  201: { ...json(ResolutionWriteResponse, 'Stored for the first time'), headers: IGNORED_FIELDS_DOC },
  200: { ...json(ResolutionWriteResponse, 'Updated with newer data, or unchanged (replay or older update)'), headers: IGNORED_FIELDS_DOC },
  ...PROBLEMS,
};

const REQUEST_FIELDS = Object.keys(ResolutionRequest.shape);
const DELIVERY_FIELDS = Object.keys(ResolutionDelivery.shape);

export function resolutionRoutes(routes: ApiRoutes, writeBack: WriteBackService): void {
  const write = async (c: Context, source: string, ticketId: string, body: ResolutionRequest, known: readonly string[]) => {
    const written = await writeBack.putResolution(source, ticketId, body);
    await flagIgnoredFields(c, known);
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
        'A write without `runbookId` keeps the runbook already linked to the ticket; `no-runbook` clears it. ' +
        'An empty `resolution` (a ticket closed without a comment) is stored as empty; fields it does not know are ignored ' +
        'and named in the `x-kb-ignored-fields` header.',
      request: { params: ResolutionParams, body: ResolutionRequest },
      responses: WRITTEN,
    },
    (c, { params: { source, ticketId }, body }) => write(c, source, ticketId, body, REQUEST_FIELDS),
  );
  routes.add(
    {
      method: 'post',
      scope: 'resolve',
      path: '/tickets/{source}/resolutions',
      summary: 'Write back a closed ticket, its id in the body',
      description:
        'The PUT above for webhook senders that cannot put the ticket id in the URL (a fixed endpoint with a templated body). ' +
        'Same idempotence and answers; `ticketId` may be a number (Zendesk sends `{{ticket.id}}` unquoted) and is stored as a string.',
      request: { params: SourceParams, body: ResolutionDelivery },
      responses: WRITTEN,
    },
    (c, { params: { source }, body: { ticketId, ...body } }) => write(c, source, ticketId, body, DELIVERY_FIELDS),
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
