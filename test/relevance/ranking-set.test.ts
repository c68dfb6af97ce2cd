import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { SearchService } from '../../functions/src/app/search-service.ts';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { parseSynonyms } from '../../functions/src/core/search/synonyms.ts';
import { source } from '../helpers/runbooks.ts';

/**
 * A ranking set: a small fixed corpus and queries whose expected order is justified line by line.
 * If a ranking change breaks one of these, either the change is wrong or the justification is.
 */
const CORPUS: [string, string][] = [
  [
    'l1/vpn-client.md',
    `---\nid: vpn-client\ntitle: VPN client will not connect\ntier: l1\ncategory: network\nsymptoms: [vpn says connection failed]\nowner: desk\nstate: validated\n---\n
# VPN client will not connect\n\n## Symptoms\n\nThe client shows "connection attempt failed".\n\n## Fix\n\n1. Restart the vpnagent service.\n\n   \`\`\`powershell\n   Restart-Service vpnagent\n   \`\`\`\n\n## Verify\n\nIt connects.\n\n## Escalation\n\nTo L2.`,
  ],
  [
    'infra/site-vpn.md',
    `---\nid: site-vpn\ntitle: Site-to-site VPN tunnel down\ntier: infra\ncategory: network\nsymptoms: [branch office cannot reach head office]\nowner: network\nstate: validated\n---\n
# Site-to-site VPN tunnel down\n\n## Symptoms\n\nThe IPsec tunnel between the branch and the data centre is down.\n\n## Cause\n\nPhase 1 proposals no longer match.\n\n## Fix\n\n1. Compare IKE proposals on both peers.\n\n## Verify\n\nThe tunnel is up.\n\n## Rollback\n\n1. Restore the previous crypto map.\n\n## Escalation\n\nTo the carrier.`,
  ],
  [
    'l1/wifi.md',
    `---\nid: wifi\ntitle: Wi-Fi drops every few minutes\ntier: l1\ncategory: network\nsymptoms: [wireless keeps disconnecting]\nowner: desk\nstate: validated\n---\n
# Wi-Fi drops every few minutes\n\n## Symptoms\n\nThe laptop loses the wireless network; a VPN session on top of it drops too.\n\n## Fix\n\n1. Forget the network and join again.\n\n## Verify\n\nStable for an hour.\n\n## Escalation\n\nTo L2.`,
  ],
  [
    'l2/dns.md',
    `---\nid: dns\ntitle: Names do not resolve\ntier: l2\ncategory: network\nsymptoms: [site not found, server not found]\nowner: desk\nstate: validated\n---\n
# Names do not resolve\n\n## Symptoms\n\nBrowsers say the server was not found.\n\n## Cause\n\nA stale DNS cache.\n\n## Fix\n\n1. Flush the cache.\n\n   \`\`\`cmd\n   ipconfig /flushdns\n   \`\`\`\n\n## Verify\n\nPages load.\n\n## Escalation\n\nTo L3.`,
  ],
];

let service: SearchService;
beforeAll(async () => {
  const index = new EmbeddedRunbookIndex();
  await index.upsert(
    CORPUS.map(([path, text]) => {
      const result = compileRunbook(source(path, text));
      if (!result.ok) throw new Error(path);
      return result.runbook;
    }),
  );
  const { set } = parseSynonyms('anyconnect, globalprotect => vpn\nwifi, wi fi, wireless');
  service = new SearchService({ index, synonyms: set, options: searchOptions(), today: () => '2026-11-23' });
});

// The whole order, weak matches included: what this set checks is the ranking, not where the
// default list stops (search leaves weak matches out behind stronger ones unless asked).
const order = async (q: string) => (await service.search({ q, limit: 10, offset: 0, all: true })).hits.map((h) => h.id);

describe('ranking set', () => {
  it('"vpn won\'t connect"', async () => {
    // vpn-client: both words in its title. site-vpn: "vpn" in its title only.
    // wifi: "vpn" once in its body. dns: neither word.
    expect(await order("vpn won't connect")).toEqual(['vpn-client', 'site-vpn', 'wifi']);
  });

  it('"branch office cannot reach head office"', async () => {
    // site-vpn's frontmatter symptom is this sentence; nothing else mentions branches or offices.
    expect((await order('branch office cannot reach head office'))[0]).toBe('site-vpn');
  });

  it('"anyconnect keeps failing"', async () => {
    // The synonym rewrites anyconnect to vpn, so the VPN client runbook wins on "vpn" in its title
    // and "failed" (stem fail) in its symptoms. dns shares no word with the query and is absent.
    // (wifi's "keeps disconnecting" and site-vpn's title both match one or two words; their
    // relative order is left to BM25.)
    const ranked = await order('anyconnect keeps failing');
    expect(ranked[0]).toBe('vpn-client');
    expect(ranked).not.toContain('dns');
  });

  it('"wifi disconnecting"', async () => {
    // "wifi" expands to "wireless", which wifi's symptoms contain with "disconnecting".
    expect((await order('wifi disconnecting'))[0]).toBe('wifi');
  });

  it('"restart vpnagent" points at the fix section', async () => {
    // Only vpn-client's fix step names vpnagent: the hit must point at that section.
    const [hit] = (await service.search({ q: 'restart vpnagent', limit: 1, offset: 0 })).hits;
    expect(hit).toMatchObject({ id: 'vpn-client', section: { anchor: 'fix', kind: 'fix' } });
  });

  it('"server not found"', async () => {
    // dns lists it as a symptom word for word; no other runbook says "server".
    expect((await order('server not found'))[0]).toBe('dns');
  });
});
