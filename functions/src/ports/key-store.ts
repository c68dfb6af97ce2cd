import type { Scope } from '../core/access/scopes.ts';
import type { Tier } from '../core/runbook/model.ts';

/** An API key as stored: never its value, only a hash of it. */
export interface StoredKey {
  /** Public id, shown by `kb keys list` and used to revoke (`k_…`). */
  id: string;
  /** SHA-256 of the key's value, hex. */
  hash: string;
  name: string;
  scopes: Scope[];
  sources?: string[];
  tier: Tier;
  createdAt: string;
}

/** Where the self-hosted server keeps its API keys. Adapter: `DynamoDbKeyStore` (the resolutions table). */
export interface KeyStore {
  putKey(key: StoredKey): Promise<void>;
  keyByHash(hash: string): Promise<StoredKey | undefined>;
  listKeys(): Promise<StoredKey[]>;
  /** Removes a key by its public id; false when there was none. */
  deleteKey(id: string): Promise<boolean>;
}
