import { describe, expect, it } from 'vitest';
import { compileRunbook } from '../../functions/src/core/runbook/compile.ts';
import { scanMarkdown } from '../../functions/src/core/runbook/inline-scan.ts';
import { DEFAULT_LIMITS } from '../../functions/src/core/runbook/limits.ts';
import { CONTENT, l1Runbook, source, sourcesIn } from '../helpers/runbooks.ts';

const scan = (text: string) => scanMarkdown(text, DEFAULT_LIMITS);

/** Shapes that took remark tens of seconds or a gigabyte (issue 13), refused before it parses them. */
const HOSTILE = {
  'nested images, 24 KB': `# T\n\n${'!['.repeat(4_000)}x${'](u)'.repeat(4_000)}\n`,
  'nested images, 250 KB': `# T\n\n${'!['.repeat(41_000)}x${'](u)'.repeat(41_000)}\n`,
  'nested emphasis, 48 KB': `# T\n\n${'*a '.repeat(8_000)}x${' a*'.repeat(8_000)}\n`,
  'alternating emphasis, 48 KB': `# T\n\n${'*_'.repeat(12_000)}x${'_*'.repeat(12_000)}\n`,
  'nested links across quoted lines': `# T\n\n${'> [\n'.repeat(4_000)}x${'](u)'.repeat(4_000)}\n`,
  '100,000 headings': Array.from({ length: 100_000 }, (_, i) => `# h${i}\n`).join(''),
};

describe('the pre-parse scan of inline nesting, markers and sections', () => {
  it.each(Object.entries(HOSTILE))('refuses %s in milliseconds', (_name, text) => {
    const started = performance.now();
    expect(scan(text)).toBeDefined();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('reports the first line and column past a limit', () => {
    expect(scan(`# T\n\ntext\n\n${'['.repeat(40)}x\n`)).toEqual({ kind: 'inline-depth', depth: 33, line: 5, column: 33 });
    expect(scan(Array.from({ length: 1_001 }, (_, i) => `## Step ${i}\n\ntext\n`).join('\n'))).toMatchObject({
      kind: 'sections',
      sections: 1_001,
    });
  });

  it('does not count code: brackets and stars in fences and code spans are free', () => {
    const code = `# T\n\n\`\`\`bash\n${'[[ -f x ]] && echo **\n'.repeat(2_000)}\`\`\`\n\n${'`*[` '.repeat(2_000)}\n`;
    expect(scan(code)).toBeUndefined();
  });

  it('treats list items and table rows as separate paragraphs, as Markdown does', () => {
    const list = Array.from({ length: 2_000 }, () => '- *{name}*_csv [link](x)').join('\n');
    const table = `| a | b |\n|---|---|\n${'| *{Computername}*_sym.csv | [x](y) |\n'.repeat(2_000)}`;
    expect(scan(`# T\n\n${list}\n\n${table}`)).toBeUndefined();
  });

  it('passes every runbook of the starter library', () => {
    for (const file of sourcesIn(CONTENT)) expect(scan(new TextDecoder().decode(file.bytes)), file.path).toBeUndefined();
  });

  it('makes the compiler skip the file with an input-limits error at that place', () => {
    const result = compileRunbook(source('l1/deep.md', l1Runbook('deep', { body: `## Symptoms\n\n${'!['.repeat(100)}x\n` })));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.messages[0]).toMatchObject({
      ruleId: 'input-limits',
      fatal: true,
      reason: expect.stringMatching(/inline nesting deeper than 32/),
    });
  });
});
