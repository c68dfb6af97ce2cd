import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceFile } from '../../functions/src/core/runbook/compile.ts';

export const FIXTURES = new URL('../fixtures/runbooks/', import.meta.url).pathname;
export const CONTENT = new URL('../../content/', import.meta.url).pathname;
export const SHARED = new URL('../../../shared/', import.meta.url).pathname;

const encoder = new TextEncoder();

/** A runbook source from text, as the compiler receives it. */
export function source(path: string, text: string): SourceFile {
  return { path, bytes: encoder.encode(text) };
}

/** Every Markdown file under a folder, as compiler sources with content-root-relative paths. */
export function sourcesIn(root: string): SourceFile[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => {
      const file = join(e.parentPath, e.name);
      return { path: relative(root, file).split(sep).join('/'), bytes: readFileSync(file) };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** A valid l1 runbook; `extra` is spliced into the frontmatter, `body` replaces the sections. */
export function l1Runbook(id: string, options: { extra?: string; body?: string; title?: string } = {}): string {
  const title = options.title ?? `Runbook ${id}`;
  return `---
id: ${id}
title: ${title}
tier: l1
category: network
symptoms: [something is broken]
owner: desk
state: validated
${options.extra ?? ''}
---

# ${title}

${
  options.body ??
  `## Symptoms

Something is broken.

## Fix

1. Restart it.

   \`\`\`bash
   systemctl restart thing
   \`\`\`

## Verify

It works.

## Escalation

To L2 when it still fails.`
}
`;
}
