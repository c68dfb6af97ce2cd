import { describe, expect, it } from 'vitest';
import { FIRST_SCREEN_BUDGET_BYTES, firstScreenJs } from '../bundle-size.ts';

describe('bundle', () => {
  it('keeps the first screen under 150 KB of gzipped JavaScript', async () => {
    const { bytes } = await firstScreenJs(new URL('../dist', import.meta.url).pathname);
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(FIRST_SCREEN_BUDGET_BYTES);
  });
});
