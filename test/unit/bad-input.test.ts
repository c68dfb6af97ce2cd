import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsContentSource } from '../../functions/src/adapters/fs/fs-content-source.ts';
import { loadLibrary } from '../../functions/src/app/load-library.ts';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import type { Message } from '../../functions/src/core/runbook/model.ts';
import { l1Runbook, source } from '../helpers/runbooks.ts';

function failureOf(path: string, content: string | Uint8Array): Message {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const result = compileRunbook({ path, bytes });
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('compiled');
  const [message] = result.failure.messages;
  expect(message?.fatal).toBe(true);
  return message as Message;
}

describe('bad input is reported with a position and skipped, never thrown', () => {
  it('unclosed frontmatter: the YAML error names its line', () => {
    // An unclosed `---` block is just Markdown to remark; an unclosed flow mapping inside it is invalid YAML.
    const m = failureOf('l1/x.md', '---\nid: x\ntitle: [unclosed\ntier: l1\n---\n\n# X\n');
    expect(m.ruleId).toBe('frontmatter-yaml');
    expect(m.reason).toMatch(/Invalid YAML frontmatter/);
    expect(m.line).toBeGreaterThanOrEqual(3);
  });

  it('invalid YAML (bad indentation) points at the value the parser could not read', () => {
    // The indented line makes `id`'s value a compact mapping; YAML reports where that value starts.
    const m = failureOf('l1/x.md', '---\nid: x\n  title: bad: indent\ntier: l1\n---\n\n# X\n');
    expect(m).toMatchObject({ ruleId: 'frontmatter-yaml', line: 2, column: 5 });
  });

  it('a YAML alias bomb is refused instead of expanded', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const m = failureOf('l1/bomb.md', `---\n${bomb}\n---\n\n# Bomb\n`);
    expect(m.ruleId).toBe('frontmatter-yaml');
    expect(m.reason).toMatch(/alias/i);
  });

  it('a binary file is reported at its first NUL byte', () => {
    const m = failureOf('l1/image.md', new Uint8Array([0x23, 0x20, 0x48, 0x0a, 0x89, 0x50, 0x00, 0x01]));
    expect(m).toMatchObject({ ruleId: 'encoding', line: 2, column: 3 });
  });

  it('non-UTF-8 text (Latin-1) is reported at the first bad byte', () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode('# Caf'), 0xe9, 0x0a]);
    const m = failureOf('l1/latin1.md', latin1);
    expect(m).toMatchObject({ ruleId: 'encoding', line: 1, column: 6 });
    expect(m.reason).toMatch(/not UTF-8/);
  });

  it('an empty or whitespace-only file is reported', () => {
    expect(failureOf('l1/empty.md', '').ruleId).toBe('empty-file');
    expect(failureOf('l1/blank.md', '  \n\n').ruleId).toBe('empty-file');
  });

  it('a 5 MB file is over the 1 MiB limit', () => {
    const m = failureOf('l1/huge.md', `# Huge\n\n${'lorem ipsum dolor sit amet\n'.repeat(200_000)}`);
    expect(m.ruleId).toBe('input-limits');
    expect(m.reason).toMatch(/at most 1048576 bytes/);
  });

  it('thousands of nested block quotes are refused at their line', () => {
    const m = failureOf('l1/quotes.md', `# Deep\n\n${'>'.repeat(5000)} too deep\n`);
    expect(m).toMatchObject({ ruleId: 'input-limits', line: 3 });
  });

  it('thousands of nested lists, on one line or by indentation, are refused', () => {
    expect(failureOf('l1/lists.md', `# Deep\n\n${'- '.repeat(3000)}x\n`).ruleId).toBe('input-limits');
    const indented = Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    expect(failureOf('l1/indented.md', `# Deep\n\n${indented}\n`).ruleId).toBe('input-limits');
  });

  it('moderate nesting (a real runbook) is fine', () => {
    const nested = Array.from({ length: 6 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    expect(compileRunbook(source('l1/ok.md', `# Ok\n\n> > quoted\n\n${nested}\n`)).ok).toBe(true);
  });

  it('a library with broken files and duplicate ids still builds every good runbook', async () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'kb-bad-'));
    mkdirSync(join(root, 'l1'));
    writeFileSync(join(root, 'l1', 'good.md'), l1Runbook('good'));
    writeFileSync(join(root, 'l1', 'also-good.md'), l1Runbook('also-good'));
    // The first file in path order keeps an id; the later one is the duplicate.
    writeFileSync(join(root, 'l1', 'zz-dup.md'), l1Runbook('good'));
    writeFileSync(join(root, 'l1', 'broken.md'), '---\nid: [\n---\n');
    writeFileSync(join(root, 'l1', 'binary.md'), new Uint8Array([0, 1, 2, 3]));
    writeFileSync(join(root, 'l1', 'deep.md'), `${'>'.repeat(10_000)}\n`);

    // Act
    const library = await loadLibrary(new FsContentSource(root)).finally(() => rmSync(root, { recursive: true, force: true }));

    // Assess
    expect(library.runbooks.map((r) => r.path).sort()).toEqual(['l1/also-good.md', 'l1/good.md']);
    expect(library.failures.map((f) => [f.path, f.messages[0]?.ruleId]).sort()).toEqual([
      ['l1/binary.md', 'encoding'],
      ['l1/broken.md', 'frontmatter-yaml'],
      ['l1/deep.md', 'input-limits'],
      ['l1/zz-dup.md', 'unique-id'],
    ]);
  });
});
