import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const KB = new URL('../../functions/bin/kb.js', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

/** `kb serve` as a separate process, as a user runs it; resolves once it prints its URL. */
export async function startServerProcess(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [KB, 'serve', '--port', '0', '--data', dataDir, '--no-watch'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('kb serve did not start within 60 s')), 60_000);
    lines.on('line', (line) => {
      const match = /serving on (http:\/\/\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`kb serve exited with ${code}`)));
  });
  return { url, child };
}

export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
