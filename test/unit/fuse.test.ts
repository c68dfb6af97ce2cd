import { describe, expect, it } from 'vitest';
import { DEFAULT_FUSION, denseShare, fuse, type LexicalCandidate } from '../../functions/src/core/search/fuse.ts';

const lexical = (runbookId: string, score: number, strength: number): LexicalCandidate => ({
  runbookId,
  score,
  strength,
  matches: { word: ['body'] },
});

// Ranking set: a small fixed case per rule, each expected order justified in its comment.
describe('fuse', () => {
  it('lets meaning overrule a weak lexical match for an everyday ticket', () => {
    // "saved a report on my laptop but it's not on the desktop": common words matched the mapped
    // drive runbook in its body (weak, unspecific); meaning points clearly at OneDrive.
    const ranked = fuse(
      [lexical('mapped-drive-missing', 40, 0.5), lexical('onedrive-not-syncing', 10, 0.2)],
      [
        { runbookId: 'onedrive-not-syncing', similarity: 0.55 },
        { runbookId: 'mapped-drive-missing', similarity: 0.3 },
      ],
      30,
      DEFAULT_FUSION,
    );
    expect(ranked.map((h) => h.runbookId)).toEqual(['onedrive-not-syncing', 'mapped-drive-missing']);
  });

  it('keeps a specific lexical answer first when meaning slightly prefers another', () => {
    // An alert name matched in a title (specificity 400): jargon is where lexical search is right.
    const ranked = fuse(
      [lexical('kube-pod-crash-looping', 4000, 1), lexical('kube-pod-not-ready', 1500, 0.55)],
      [
        { runbookId: 'kube-pod-not-ready', similarity: 0.74 },
        { runbookId: 'kube-pod-crash-looping', similarity: 0.7 },
      ],
      400,
      DEFAULT_FUSION,
    );
    expect(ranked[0]?.runbookId).toBe('kube-pod-crash-looping');
  });

  it('adds a runbook found only by meaning, and drops one too far to mean anything', () => {
    const ranked = fuse(
      [lexical('vpn', 10, 0.4)],
      [
        { runbookId: 'onedrive', similarity: 0.6 },
        { runbookId: 'gibberish-neighbour', similarity: 0.2 },
      ],
      20,
      DEFAULT_FUSION,
    );
    expect(ranked.map((h) => h.runbookId)).toEqual(['onedrive', 'vpn']);
    expect(ranked[0]).toMatchObject({ matches: {}, similarity: 0.6 });
  });

  it('returns the lexical order unchanged when there are no dense candidates', () => {
    const ranked = fuse([lexical('b', 9, 0.2), lexical('a', 5, 0.9)], [], 10, DEFAULT_FUSION);
    expect(ranked.map((h) => h.runbookId)).toEqual(['b', 'a']);
  });

  it('marks a runbook found by meaning alone, and no runbook a word found, even one with no named match', () => {
    // OpenSearch names no matched term for a prefix ("outl…"): the hit is still a word match.
    const prefixOnly = { ...lexical('outlook-profile-corrupt', 5, 0.1), matches: {} };
    const ranked = fuse([prefixOnly], [{ runbookId: 'mailbox-full', similarity: 0.4 }], 5, DEFAULT_FUSION);
    expect(ranked.map((h) => [h.runbookId, h.meaningOnly ?? false])).toEqual(
      expect.arrayContaining([
        ['outlook-profile-corrupt', false],
        ['mailbox-full', true],
      ]),
    );
  });

  it('trusts words more the more specific they are, with no jump at one specificity', () => {
    // The same two candidates: a runbook whose words matched well, and one near in meaning. An
    // everyday ticket (specificity 50) goes by meaning, jargon (400) by words, and in between the
    // ranking turns once, where the shares cross, not at whichever point a step was put.
    const words = [lexical('mapped-drive-missing', 40, 0.9), lexical('onedrive-not-syncing', 10, 0.1)];
    const meaning = [
      { runbookId: 'onedrive-not-syncing', similarity: 0.6 },
      { runbookId: 'mapped-drive-missing', similarity: 0.35 },
    ];
    const first = (specificity: number) => fuse(words, meaning, specificity, DEFAULT_FUSION)[0]?.runbookId;
    expect(first(50)).toBe('onedrive-not-syncing');
    expect(first(400)).toBe('mapped-drive-missing');
    const shares = [50, 100, 150, 200, 250, 300, 400].map((s) => denseShare(s, DEFAULT_FUSION));
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    expect(denseShare(200, DEFAULT_FUSION)).toBeCloseTo((DEFAULT_FUSION.denseWeight + DEFAULT_FUSION.specificDenseWeight) / 2);
    // Just either side of the old step (150) a ticket is ranked alike.
    expect(first(149)).toBe(first(151));
  });
});
