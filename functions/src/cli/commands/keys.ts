import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbKeyStore } from '../../adapters/dynamodb/dynamodb-key-store.ts';
import { DynamoDbResolutionStore } from '../../adapters/dynamodb/dynamodb-resolution-store.ts';
import { startLocalDynamoDb } from '../../adapters/dynamodb/local-dynamodb.ts';
import { ApiKeys } from '../../app/api-keys.ts';
import { SCOPES, type Scope } from '../../core/access/scopes.ts';
import { commaList } from '../../core/text/comma-list.ts';
import { LOCAL_TABLE } from '../../local/write-back-platform.ts';
import { parse, tierOption } from '../args.ts';
import { CliError } from '../cli-error.ts';

const USAGE = 'kb keys create NAME [--scopes search,resolve] [--sources jira] [--tier l1] | kb keys list | kb keys revoke ID';

/** `kb keys`: create, list and revoke the API keys `kb serve` accepts. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    data: { type: 'string', default: '.kb/dynamodb', value: 'DIR', help: "the local server's data folder; stop kb serve first" },
    table: { type: 'string', value: 'NAME', help: 'a DynamoDB table instead (default AWS credentials), e.g. the deployed one' },
    scopes: { type: 'string', default: 'search,resolve', value: 'LIST', help: `create: what the key may do (${SCOPES.join(', ')})` },
    sources: { type: 'string', value: 'LIST', help: 'create: ticket sources it may write resolutions under (default: its name)' },
    tier: { type: 'string', value: 'TIER', help: 'create: the widest tier it may read (default l1)' },
    json: { type: 'boolean', default: false, help: 'machine-readable output' },
  });
  const [action, arg] = positionals;
  if (!action || !['create', 'list', 'revoke'].includes(action)) {
    throw new CliError(`${action ? `unknown action "${action}"` : 'an action is needed'}: ${USAGE}`);
  }
  const store = await openStore(values.table, values.data);
  try {
    const keys = new ApiKeys(store.keys);
    if (action === 'create') return await create(keys, arg, values);
    if (action === 'list') return await list(keys, values.json);
    if (!arg) throw new CliError('kb keys revoke needs the key id (see kb keys list)');
    if (!(await keys.revoke(arg))) throw new CliError(`no key with id ${arg}`, 1);
    process.stdout.write(`revoked ${arg}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function create(
  keys: ApiKeys,
  name: string | undefined,
  values: { scopes: string; sources?: string | undefined; tier?: string | undefined; json: boolean },
) {
  if (!name) throw new CliError('kb keys create needs a name, such as jira');
  const scopes = commaList(values.scopes);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new CliError(`unknown scopes ${unknown.join(', ')} (expected ${SCOPES.join(', ')})`);
  const tier = tierOption(values.tier, '--tier');
  let created: Awaited<ReturnType<ApiKeys['create']>>;
  try {
    created = await keys.create({
      name,
      scopes: scopes as Scope[],
      ...(values.sources ? { sources: commaList(values.sources) } : {}),
      ...(tier ? { tier } : {}),
    });
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (issues) throw new CliError(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    throw error;
  }
  const { id, key, stored } = created;
  if (values.json) process.stdout.write(`${JSON.stringify({ id, key, name, scopes: stored.scopes, tier: stored.tier })}\n`);
  else {
    process.stdout.write(
      `created ${id} for ${name}: scopes ${stored.scopes.join(', ')}; sources ${(stored.sources ?? [name]).join(', ')}; tier ${stored.tier}\n` +
        `key (shown once; send it as x-api-key):\n${key}\n`,
    );
  }
  return 0;
}

async function list(keys: ApiKeys, json: boolean) {
  const all = await keys.list();
  if (json) {
    process.stdout.write(`${JSON.stringify(all.map(({ hash: _hash, ...k }) => k))}\n`);
    return 0;
  }
  if (all.length === 0) process.stdout.write('no keys (kb keys create NAME)\n');
  for (const k of all) {
    process.stdout.write(
      `${k.id}  ${k.name.padEnd(12)} ${k.scopes.join(',').padEnd(28)} sources ${(k.sources ?? [k.name]).join(',')}  tier ${k.tier}  created ${k.createdAt.slice(0, 10)}\n`,
    );
  }
  return 0;
}

/** The local server's table (its LevelDB folder may be open in one process only), or a real DynamoDB table. */
async function openStore(table: string | undefined, dataDir: string): Promise<{ keys: DynamoDbKeyStore; close: () => Promise<void> }> {
  if (table) {
    const client = new DynamoDBClient({});
    return { keys: new DynamoDbKeyStore(client, table), close: async () => client.destroy() };
  }
  const dynamo = await startLocalDynamoDb(dataDir);
  try {
    await new DynamoDbResolutionStore(dynamo.client, LOCAL_TABLE).ensureTable();
  } catch (error) {
    await dynamo.close().catch(() => {});
    if (/lock/i.test(String((error as Error).message))) {
      throw new CliError(`${dataDir} is in use by a running kb serve: stop it, run kb keys, then start it again`, 1);
    }
    throw error;
  }
  return { keys: new DynamoDbKeyStore(dynamo.client, LOCAL_TABLE), close: dynamo.close };
}
