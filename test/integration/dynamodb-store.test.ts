import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbResolutionStore } from '../../functions/src/adapters/dynamodb/dynamodb-resolution-store.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../functions/src/adapters/dynamodb/local-dynamodb.ts';
import { GAP_LIMITS } from '../../functions/src/core/resolutions/gaps.ts';
import { storedResolution as resolution } from '../helpers/write-back.ts';

let dynamo: LocalDynamoDb;
let store: DynamoDbResolutionStore;

describe('DynamoDbResolutionStore on the DynamoDB API (dynalite)', () => {
  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    store = new DynamoDbResolutionStore(dynamo.client, 'test-resolutions');
    await store.ensureTable();
    await store.ensureTable(); // idempotent
  });
  afterAll(() => dynamo.close());

  it('creates, then ignores a replay, then ignores an older update, then takes a newer one', async () => {
    expect((await store.putResolution(resolution())).result).toBe('created');
    const replay = await store.putResolution(resolution({ receivedAt: '2026-11-21T00:00:00Z' }));
    expect(replay).toMatchObject({ result: 'unchanged', resolution: { receivedAt: '2026-11-20T10:00:01Z' } });
    // Earlier instant written with another offset: 11:00+02:00 is 09:00Z, older than 10:00Z.
    const older = await store.putResolution(resolution({ closedAt: '2026-11-20T11:00:00+02:00', summary: 'older' }));
    expect(older).toMatchObject({ result: 'unchanged', resolution: { summary: 'VPN fails' } });
    const newer = await store.putResolution(resolution({ closedAt: '2026-11-20T12:00:00Z', outcome: 'workaround', summary: 'newer' }));
    expect(newer).toMatchObject({ result: 'updated', previous: { summary: 'VPN fails' }, resolution: { summary: 'newer' } });
    expect(await store.getResolution('jira', 'HD-1')).toMatchObject({ summary: 'newer', outcome: 'workaround' });
  });

  it('keeps tickets of different sources apart', async () => {
    await store.putResolution(resolution({ source: 'zendesk', ticketId: 'HD-1', summary: 'zendesk one' }));
    expect((await store.getResolution('zendesk', 'HD-1'))?.summary).toBe('zendesk one');
    expect((await store.getResolution('jira', 'HD-1'))?.summary).toBe('newer');
    expect(await store.getResolution('servicenow', 'HD-1')).toBeUndefined();
  });

  it('lists resolutions and feedback, and finds a runbook’s items through the by-runbook index', async () => {
    await store.addFeedback({
      id: 'f1',
      runbookId: 'vpn-client-wont-connect',
      kind: 'flag',
      comment: 'step 3 is outdated',
      at: '2026-11-22T00:00:00Z',
    });
    const all = [];
    for await (const r of store.listResolutions()) all.push(r.ticketId);
    expect(all.sort()).toEqual(['HD-1', 'HD-1']);
    const feedback = [];
    for await (const f of store.listFeedback()) feedback.push(f);
    expect(feedback).toEqual([expect.objectContaining({ id: 'f1', kind: 'flag', comment: 'step 3 is outdated' })]);
    const items = await store.byRunbook('vpn-client-wont-connect');
    expect(items.map((i) => i.type).sort()).toEqual(['feedback', 'resolution', 'resolution']);
  });

  it('counts zero-result searches per normalised query, once per searcher', async () => {
    await store.recordSearchGap('Printer  ON FIRE', 'l1', '2026-11-22T00:00:00Z', 'agent:amy');
    await store.recordSearchGap('printer on fire', 'l1', '2026-11-22T01:00:00Z', 'agent:sam');
    await store.recordSearchGap('printer on fire', 'l1', '2026-11-22T02:00:00Z', 'agent:sam');
    expect(await store.listSearchGaps()).toEqual([{ query: 'printer on fire', count: 2, lastAt: '2026-11-22T01:00:00Z', tier: 'l1' }]);
  });

  it('keeps a flood from one client out of the gap report: a daily allowance per searcher and a bounded top list', async () => {
    await store.recordSearchGap('badge reader rejects new starters', 'l1', '2026-11-23T00:00:00Z', 'agent:amy');
    await store.recordSearchGap('badge reader rejects new starters', 'l1', '2026-11-23T00:00:00Z', 'agent:sam');
    for (let i = 0; i < 300; i++) await store.recordSearchGap(`zxqv planted ${i}`, undefined, '2026-11-23T00:00:00Z', 'client:flood');
    const gaps = await store.listSearchGaps();
    expect(gaps[0]).toMatchObject({ query: 'badge reader rejects new starters', count: 2 });
    expect(gaps.filter((g) => g.query.startsWith('zxqv planted')).length).toBe(GAP_LIMITS.perSearcherPerDay);
    expect(gaps.length).toBeLessThanOrEqual(GAP_LIMITS.top);
  });

  it('keeps one vote per feedback id: a repeat replaces it', async () => {
    const vote = { id: 'v1', runbookId: 'printer-jam', kind: 'not-helpful' as const, at: '2026-11-22T00:00:00Z' };
    expect(await store.addFeedback(vote)).toEqual({ created: true });
    expect(await store.addFeedback({ ...vote, kind: 'helpful', at: '2026-11-22T01:00:00Z' })).toEqual({ created: false });
    expect((await store.byRunbook('printer-jam')).map((i) => i.kind)).toEqual(['helpful']);
  });

  it('counts one runbook’s use from the by-runbook index with a Query, never a Scan', async () => {
    // Prepare: tickets and votes about one runbook, a ticket re-linked away from it, and noise elsewhere.
    const camera = 'teams-camera-black';
    await store.putResolution(resolution({ ticketId: 'CAM-1', runbookId: camera, closedAt: '2026-11-24T10:00:00Z' }));
    await store.putResolution(
      resolution({ ticketId: 'CAM-2', runbookId: camera, outcome: 'workaround', closedAt: '2026-11-24T11:00:00Z' }),
    );
    await store.putResolution(
      resolution({ ticketId: 'CAM-3', runbookId: camera, outcome: 'not-helpful', closedAt: '2026-11-24T12:00:00Z' }),
    );
    await store.putResolution(resolution({ ticketId: 'CAM-4', runbookId: camera, closedAt: '2026-11-24T09:00:00Z' }));
    await store.putResolution(resolution({ ticketId: 'CAM-4', runbookId: 'printer-jam', closedAt: '2026-11-24T13:00:00Z' }));
    await store.addFeedback({ id: 'cam-amy', runbookId: camera, kind: 'helpful', at: '2026-11-24T14:00:00Z' });
    await store.addFeedback({ id: 'cam-amy', runbookId: camera, kind: 'not-helpful', at: '2026-11-24T15:00:00Z' });
    await store.addFeedback({ id: 'cam-sam', runbookId: camera, kind: 'helpful', at: '2026-11-24T16:00:00Z' });
    await store.addFeedback({
      id: 'cam-kim',
      runbookId: camera,
      kind: 'flag',
      comment: 'needs the new driver',
      at: '2026-11-24T17:00:00Z',
    });
    const commands: string[] = [];
    dynamo.client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );

    // Act
    const usage = await store.usage(camera);
    const unused = await store.usage('never-used');
    dynamo.client.middlewareStack.remove('recordCommands');

    // Assess: amy's changed vote counts once, as not helpful; the re-linked ticket counts for its new runbook.
    expect(usage).toEqual({ resolved: 1, workaround: 1, notHelpful: 2, helpful: 1, flagged: 1, lastUsed: '2026-11-24T17:00:00Z' });
    expect(unused).toEqual({ resolved: 0, workaround: 0, notHelpful: 0, helpful: 0, flagged: 0 });
    expect((await store.usage('printer-jam')).resolved).toBe(1);
    expect(new Set(commands)).toEqual(new Set(['QueryCommand']));
  });

  it('stores, lists and deletes dead letters', async () => {
    const event = { id: 'e1', name: 'INSERT' as const, newImage: { type: 'resolution' } };
    await store.putDeadLetter({ id: 'e1', at: '2026-11-22T00:00:00Z', error: 'boom', attempts: 3, event });
    expect(await store.listDeadLetters()).toEqual([{ id: 'e1', at: '2026-11-22T00:00:00Z', error: 'boom', attempts: 3, event }]);
    await store.deleteDeadLetter('e1');
    expect(await store.listDeadLetters()).toEqual([]);
  });
});
