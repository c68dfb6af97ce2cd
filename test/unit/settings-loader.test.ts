import { describe, expect, it, vi } from 'vitest';
import type { SearchService } from '../../functions/src/app/search-service.ts';
import { parseTaxonomy } from '../../functions/src/core/runbook/taxonomy.ts';
import { type EscalationQueues, escalationQueues, publishedQueues } from '../../functions/src/core/search/queues.ts';
import { QUEUES_FILE, settingsLoader } from '../../functions/src/handlers/wiring-s3.ts';

/** A bucket as the API Lambda reads it: files by name, editable between loads. */
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

/** The queues file the content indexer writes for TAXONOMY. */
const PUBLISHED = publishedQueues(escalationQueues(parseTaxonomy(TAXONOMY)));

function fakeSearch() {
  const queues: EscalationQueues[] = [];
  const search = { setSynonyms: vi.fn(), setQueues: (q: EscalationQueues) => queues.push(q) };
  return { search: search as unknown as SearchService, queues, setSynonyms: search.setSynonyms };
}

describe('settingsLoader: the API Lambda reads synonyms from the content bucket and the queues the indexer published', () => {
  it("loads the taxonomy's teams and tier defaults as published, and synonyms.txt as written", async () => {
    // Prepare
    const content = bucket({ 'synonyms.txt': 'vpn, virtual private network\n' });
    const published = bucket({ [QUEUES_FILE]: PUBLISHED });
    const { search, queues, setSynonyms } = fakeSearch();
    // Act
    await settingsLoader({ content, published }, search)();
    // Assess
    expect(setSynonyms).toHaveBeenCalledTimes(1);
    expect(queues).toHaveLength(1);
    expect(queues[0]?.byTier).toEqual({ l3: 'Engineering Triage (queue ENG-L3)' });
    expect(queues[0]?.teams.get('windows-infrastructure')).toBe('Windows Infrastructure (queue WIN-L3)');
  });

  it('keeps the previous queues when the published file is unreadable, and still reloads synonyms', async () => {
    // Prepare: loaded once, then both files change; the queues file is no longer what the indexer writes.
    const content = bucket({ 'synonyms.txt': 'vpn, virtual private network\n' });
    const published = bucket({ [QUEUES_FILE]: PUBLISHED });
    const { search, queues, setSynonyms } = fakeSearch();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const load = settingsLoader({ content, published }, search, 0);
    await load();
    published.files[QUEUES_FILE] = '{"teams": [3]}';
    content.files['synonyms.txt'] = 'wifi, wireless\n';
    // Act
    await load();
    // Assess
    expect(queues).toHaveLength(1);
    expect(setSynonyms).toHaveBeenCalledTimes(2);
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ message: `could not load ${QUEUES_FILE}` }));
    errors.mockRestore();
  });

  it('applies no queues when none were published', async () => {
    const { search, queues } = fakeSearch();
    await settingsLoader({ content: bucket({}), published: bucket({}) }, search)();
    expect(queues).toEqual([{ teams: new Map(), byTier: {} }]);
  });
});
