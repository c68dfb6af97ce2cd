import { spawnSync } from 'node:child_process';

const KB = new URL('../../functions/bin/kb.js', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

/** Runs the real `kb` command as a user would, from the repository root. */
export function kb(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [KB, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
