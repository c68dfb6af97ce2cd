import { describe, expect, it, vi } from 'vitest';
import type { SearchService } from '../../functions/src/app/search-service.ts';
import type { EscalationQueues } from '../../functions/src/core/search/queues.ts';
import { settingsLoader } from '../../functions/src/handlers/wiring-s3.ts';

/** The content bucket as the API Lambda reads it: library files by name, editable between loads. */
function bucket(files: Record<string, string>) {
  const encoder = new TextEncoder();
  return {
    files,
    readOptional: async (path: string) => (files[path] === undefined ? undefined : encoder.encode(files[path])),
  };
}

const TAXONOMY = `categories: [{ id: network }]
teams:
  - { id: windows-infrastructure, name: Windows Infrastructure, queue: WIN-L3 }
  - { id: engineering-triage, name: Engineering Triage, queue: ENG-L3 }
escalation: { l3: engineering-triage }
`;

function fakeSearch() {
  const queues: EscalationQueues[] = [];
  const search = { setSynonyms: vi.fn(), setQueues: (q: EscalationQueues) => queues.push(q) };
  return { search: search as unknown as SearchService, queues, setSynonyms: search.setSynonyms };
}

describe('settingsLoader: the API Lambda reads synonyms and escalation queues from the content bucket', () => {
  it("loads taxonomy.yaml's teams and tier defaults, as it loads synonyms.txt", async () => {
    // Prepare
    const source = bucket({ 'taxonomy.yaml': TAXONOMY, 'synonyms.txt': 'vpn, virtual private network\n' });
    const { search, queues, setSynonyms } = fakeSearch();
    // Act
    await settingsLoader(source, search)();
    // Assess
    expect(setSynonyms).toHaveBeenCalledTimes(1);
    expect(queues).toHaveLength(1);
    expect(queues[0]?.byTier).toEqual({ l3: 'Engineering Triage (queue ENG-L3)' });
    expect(queues[0]?.teams.get('windows-infrastructure')).toBe('Windows Infrastructure (queue WIN-L3)');
  });

  it('keeps the previous queues when a changed taxonomy is malformed, and still reloads synonyms', async () => {
    // Prepare: loaded once, then both files change; the taxonomy now names a team it does not list.
    const source = bucket({ 'taxonomy.yaml': TAXONOMY, 'synonyms.txt': 'vpn, virtual private network\n' });
    const { search, queues, setSynonyms } = fakeSearch();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const load = settingsLoader(source, search, 0);
    await load();
    source.files['taxonomy.yaml'] = TAXONOMY.replace('l3: engineering-triage', 'l3: nobody');
    source.files['synonyms.txt'] = 'wifi, wireless\n';
    // Act
    await load();
    // Assess
    expect(queues).toHaveLength(1);
    expect(setSynonyms).toHaveBeenCalledTimes(2);
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ message: 'could not load taxonomy.yaml' }));
    errors.mockRestore();
  });

  it('applies no queues when the bucket has no taxonomy', async () => {
    const { search, queues } = fakeSearch();
    await settingsLoader(bucket({}), search)();
    expect(queues).toEqual([{ teams: new Map(), byTier: {} }]);
  });
});
