import { describe, expect, it } from 'vitest';
import { commaList } from '../../functions/src/core/text/comma-list.ts';

describe('commaList', () => {
  it('reads a list as people type it: spaces around items and empty items dropped', () => {
    expect(commaList(' l1, l2,,l3 ,')).toEqual(['l1', 'l2', 'l3']);
  });

  it('reads nothing, or only commas, as an empty list', () => {
    expect(commaList(undefined)).toEqual([]);
    expect(commaList(' , ,')).toEqual([]);
  });
});
