import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FsCompileCache } from '../../functions/src/adapters/fs/fs-compile-cache.ts';
import { localCompileCache } from '../../functions/src/local/compile-cache.ts';
import { FIXTURES } from '../helpers/runbooks.ts';
import { stop } from '../helpers/server-process.ts';

const KB = new URL('../../functions/bin/kb.js', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
/** Prints the process's peak RSS (worker threads included) as it exits. */
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss-kb='+process.resourceUsage().maxRSS+'\\n'))`;

const front = (id: string) => `---\nid: ${id}\ntitle: Hostile ${id}\ntier: l1\n---\n\n`;

/** The files issue 13 found taking minutes or gigabytes, at 24 KB to 1 MB. */
const HOSTILE: Record<string, string> = {
  'l1/images-24k.md': `${front('images-24k')}${'!['.repeat(4_000)}x${'](u)'.repeat(4_000)}\n`,
  'l1/images-250k.md': `${front('images-250k')}${'!['.repeat(41_000)}x${'](u)'.repeat(41_000)}\n`,
  'l1/emphasis-48k.md': `${front('emphasis-48k')}${'*a '.repeat(8_000)}x${' a*'.repeat(8_000)}\n`,
  'l1/emphasis-120k.md': `${front('emphasis-120k')}${'*a '.repeat(20_000)}x${' a*'.repeat(20_000)}\n`,
  'l1/alternating-emphasis-120k.md': `${front('alternating')}${'*_'.repeat(30_000)}x${'_*'.repeat(30_000)}\n`,
  'l1/headings-1m.md': `${front('headings-1m')}${Array.from({ length: 100_000 }, (_, i) => `# h${i}\n`).join('')}`,
};

let root: string;
let content: string;

describe('a content folder with hostile files next to good runbooks', () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kb-hostile-'));
    content = join(root, 'content');
    cpSync(join(FIXTURES, 'ok'), content, { recursive: true });
    for (const [path, text] of Object.entries(HOSTILE)) writeFileSync(join(content, path), text);
  });
  afterAll(async () => {
    rmSync(((await localCompileCache(content)).store as FsCompileCache).file, { force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('kb build reports each bad file and builds the good ones in under a minute, under 600 MB', () => {
    // Act
    const out = join(root, 'bundle.json');
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--import', REPORT_RSS, KB, 'build', '--content', content, '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const seconds = (performance.now() - started) / 1000;

    // Assess
    expect(run.status).toBe(1); // files were skipped
    for (const path of Object.keys(HOSTILE)) expect(run.stderr).toMatch(new RegExp(`${path}:\\d+:\\d+ error .* \\(skipped\\)`));
    const bundle = JSON.parse(readFileSync(out, 'utf8')) as { runbooks: { id: string }[] };
    expect(bundle.runbooks.map((r) => r.id)).toContain('vpn-drops');
    expect(seconds).toBeLessThan(60);
    const maxRssMb = Number(/maxrss-kb=(\d+)/.exec(run.stderr)?.[1]) / 1024;
    expect(maxRssMb).toBeLessThan(600);
    console.info(`kb build, hostile folder: ${seconds.toFixed(1)} s, peak RSS ${maxRssMb.toFixed(0)} MB`);
  });

  it('a second kb build takes unchanged files from the compile cache', () => {
    const again = spawnSync(process.execPath, [KB, 'build', '--content', content, '--out', join(root, 'bundle.json')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(again.stdout).toMatch(/compile cache: (\d+) of \1 files unchanged/);
  });

  it('kb serve starts and answers /health within 10 s', async () => {
    const started = performance.now();
    const child = spawn(process.execPath, [KB, 'serve', '--content', content, '--port', '0', '--data', join(root, 'data'), '--no-watch'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const url = await new Promise<string>((resolve, reject) => {
        lines.on('line', (line) => {
          const match = /serving on (http:\/\/\S+)/.exec(line);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`kb serve exited with ${code}`)));
      });
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect((performance.now() - started) / 1000).toBeLessThan(10);
    } finally {
      await stop(child);
    }
    expect(existsSync(join(root, 'data'))).toBe(true);
  });
});
