import { createHash, randomBytes } from 'node:crypto';
import { ApiClient } from '../contracts/clients.ts';
import { clientIdentity } from '../core/access/identities.ts';
import type { Identity } from '../core/access/scopes.ts';
import type { KeyStore, StoredKey } from '../ports/key-store.ts';

/** `kb_<id>_<secret>`: the id finds the key in a listing, 32 random bytes make it unguessable. */
const KEY_PATTERN = /^kb_(k[a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export const hashKey = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * API keys for the self-hosted server (`kb keys`). A key's value is shown once, at creation; only
 * its SHA-256 is stored (the value is random, so a fast hash is enough: there is nothing to guess).
 */
export class ApiKeys {
  /** Lookups by hash, remembered briefly so a busy client costs no table read per request. */
  readonly #cache = new Map<string, { identity: Identity | undefined; until: number }>();

  constructor(
    private readonly store: KeyStore,
    private readonly options: { cacheMs?: number; now?: () => number } = {},
  ) {}

  async create(
    client: Omit<ApiClient, 'keyId' | 'tier'> & { tier?: ApiClient['tier'] },
  ): Promise<{ id: string; key: string; stored: StoredKey }> {
    const parsed = ApiClient.parse({ ...client });
    const id = `k${randomBytes(6).toString('hex').slice(0, 8)}`;
    const key = `kb_${id}_${randomBytes(32).toString('base64url')}`;
    const stored: StoredKey = {
      id,
      hash: hashKey(key),
      name: parsed.name,
      scopes: parsed.scopes,
      ...(parsed.sources ? { sources: parsed.sources } : {}),
      tier: parsed.tier,
      createdAt: new Date().toISOString(),
    };
    await this.store.putKey(stored);
    return { id, key, stored };
  }

  list(): Promise<StoredKey[]> {
    return this.store.listKeys();
  }

  async revoke(id: string): Promise<boolean> {
    this.#cache.clear();
    return this.store.deleteKey(id);
  }

  /** The identity of a presented key value; undefined for a malformed, unknown or revoked key. */
  async identify(value: string): Promise<Identity | undefined> {
    if (!KEY_PATTERN.test(value)) return undefined;
    const hash = hashKey(value);
    const now = (this.options.now ?? Date.now)();
    const cached = this.#cache.get(hash);
    if (cached && cached.until > now) return cached.identity;
    const stored = await this.store.keyByHash(hash);
    const identity = stored ? clientIdentity(stored) : undefined;
    if (this.#cache.size > 1_000) this.#cache.clear();
    this.#cache.set(hash, { identity, until: now + (this.options.cacheMs ?? 10_000) });
    return identity;
  }
}
