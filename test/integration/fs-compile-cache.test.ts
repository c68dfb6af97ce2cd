import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsCompileCache } from '../../functions/src/adapters/fs/fs-compile-cache.ts';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import type { CompileResult } from '../../functions/src/core/runbook/model.ts';

const dir = mkdtempSync(join(tmpdir(), 'kb-compile-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A runbook whose text goes well past ASCII: accents, a euro sign, CJK and an emoji (a surrogate pair). */
function compiled(): CompileResult {
  const markdown = [
    '---',
    'id: cafe-printer',
    'title: Le café printer prints “€” as ☐',
    'tier: l1',
    'category: printing',
    'symptoms: [imprimante du café, 打印机 offline, printer 🖨️ shows ☐]',
    'owner: service-desk',
    'state: validated',
    '---',
    '',
    '## Symptoms',
    '',
    'Prices print as ☐ instead of € on the café’s printer.',
    '',
    '## Fix',
    '',
    '1. Install the driver’s “Unicode” font pack.',
    '',
    '## Verify',
    '',
    'A test page shows € and 😀.',
    '',
  ].join('\n');
  const {
    tree: _tree,
    fieldPositions: _positions,
    ...result
  } = compileRunbook({ path: 'l1/cafe-printer.md', bytes: new TextEncoder().encode(markdown) });
  return result;
}

describe('the compile cache on disk', () => {
  it('gives back a runbook with non-ASCII text exactly as it was stored, from a file that is pure ASCII', async () => {
    const file = join(dir, 'cache.json');
    const result = compiled();
    expect(result.ok).toBe(true);
    await new FsCompileCache(file).put(new Map([['k', result]]), new Set(['k']));

    const bytes = readFileSync(file);
    expect(bytes.every((b) => b < 128)).toBe(true);
    const found = await new FsCompileCache(file).get(['k', 'missing']);
    expect(found.get('k')).toEqual(result);
    expect(found.has('missing')).toBe(false);
  });

  it('treats a cache of another format, or one that is not JSON, as empty', async () => {
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ format: 1, entries: { k: compiled() } }));
    expect((await new FsCompileCache(old).get(['k'])).size).toBe(0);
    const torn = join(dir, 'torn.json');
    writeFileSync(torn, '{"format":2,"entries":{"k":');
    expect((await new FsCompileCache(torn).get(['k'])).size).toBe(0);
  });
});
