import { describe, expect, it } from 'vitest';
import { shorten } from '../../functions/src/core/text/shorten.ts';

describe('shorten', () => {
  it('keeps text that fits as it is, with its spaces tidied', () => {
    expect(shorten('Restart  the\nservice.', 40)).toBe('Restart the service.');
  });

  it('cuts at the last whole word and marks the cut with an ellipsis', () => {
    expect(shorten('Restart the print spooler service', 20)).toBe('Restart the print…');
    expect(shorten('Restart the print spooler service', 20).length).toBeLessThanOrEqual(20);
  });

  it('drops punctuation left dangling before the ellipsis', () => {
    expect(shorten('Open Settings, then Network and Internet', 16)).toBe('Open Settings…');
  });

  it('cuts inside a word only when a single word is longer than the room', () => {
    expect(shorten('Supercalifragilistic', 8)).toBe('Superca…');
  });
});
