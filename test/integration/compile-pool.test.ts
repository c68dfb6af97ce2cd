import { describe, expect, it } from 'vitest';
import { compilePool } from '../../functions/src/adapters/compile/compile-pool.ts';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { loadLibrary } from '../../functions/src/app/load-library.ts';
import { DEFAULT_LIMITS } from '../../functions/src/core/runbook/limits.ts';
import type { CompileResult } from '../../functions/src/core/runbook/model.ts';
import { CONTENT, FIXTURES, l1Runbook, source } from '../helpers/runbooks.ts';

/** Limits the pre-scan would refuse these files at; lifted so that the parser meets them and only the budget is left. */
const NO_SCAN = { limits: { ...DEFAULT_LIMITS, maxInlineDepth: 1e9, maxInlineMarkers: 1e9, maxSections: 1e9 } };
const nestedImages = (n: number) => l1Runbook('slow', { body: `## Symptoms\n\n${'!['.repeat(n)}x${'](u)'.repeat(n)}\n` });
const headings = (n: number) => Array.from({ length: n }, (_, i) => `# h${i}\n`).join('');
const outcome = (r: CompileResult | undefined) => (r?.ok ? r.runbook.id : `${r?.failure.path}: ${r?.failure.messages[0]?.ruleId}`);

describe('the compile thread pool', () => {
  it('compiles a library exactly as the single thread does, in the same order', async () => {
    const pool = compilePool({ threads: 2 });
    const source = new FsContentSource(CONTENT);
    const inThread = await loadLibrary(source);
    let progress = 0;
    const pooled = await loadLibrary(source, { compile: pool, onProgress: (done) => (progress = done) });
    await pool.close();
    expect(pooled.runbooks).toEqual(inThread.runbooks);
    expect(progress).toBe(inThread.runbooks.length);
  });

  it('reports broken files from the threads as skipped', async () => {
    const pool = compilePool({ threads: 2 });
    const pooled = await loadLibrary(new FsContentSource(`${FIXTURES}not-ok`), { compile: pool });
    await pool.close();
    expect(pooled.failures.map((f) => f.path)).toEqual(['l1/duplicate-b.md']);
  });

  it('skips a file over the time budget with its path, compiles the others, and goes on with a new thread', async () => {
    // Prepare: 4,000 nested images take the parser about 20 s; the budget is 1 s.
    const pool = compilePool({ threads: 2, budget: { timeoutMs: 1_000, maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 32 } });
    const files = [
      source('l1/slow.md', nestedImages(4_000)),
      source('l1/a.md', l1Runbook('a')),
      source('l1/also-slow.md', nestedImages(4_000)),
      source('l1/b.md', l1Runbook('b')),
    ];

    // Act
    const started = performance.now();
    const results = await pool(files, NO_SCAN);
    const seconds = (performance.now() - started) / 1000;
    const after = await pool([source('l1/c.md', l1Runbook('c'))], {});
    await pool.close();

    // Assess
    expect(results.map(outcome)).toEqual(['l1/slow.md: compile-budget', 'a', 'l1/also-slow.md: compile-budget', 'b']);
    expect(results[0]?.ok === false && results[0].failure.messages[0]?.reason).toMatch(/compile time over 1 s/);
    expect(seconds).toBeLessThan(10);
    expect(after.map(outcome)).toEqual(['c']);
  });

  it('skips a file over the memory budget, and the next file compiles', async () => {
    // 100,000 headings took 1 GB to compile; a thread here may use 64 MB.
    const pool = compilePool({ threads: 1, budget: { timeoutMs: 60_000, maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 } });
    const results = await pool([source('l1/huge.md', headings(100_000)), source('l1/a.md', l1Runbook('a'))], NO_SCAN);
    await pool.close();
    expect(results.map(outcome)).toEqual(['l1/huge.md: compile-budget', 'a']);
    expect(results[0]?.ok === false && results[0].failure.messages[0]?.reason).toMatch(/memory use over 64 MB/);
  });
});
