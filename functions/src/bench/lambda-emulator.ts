import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { type AddressInfo, connect, createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';

/**
 * A bundled handler run the way Lambda runs it: AWS's Node.js runtime interface client
 * (`aws-lambda-ric`, from npm) takes its invocations from the Lambda runtime interface emulator
 * (`aws-lambda-rie`, built from the Go module proxy by .ci/run, named in KB_LAMBDA_RIE).
 */
export interface EmulatedFunction {
  /** Posts one event to the function and returns what the handler answered. */
  invoke(event: unknown): Promise<unknown>;
  /** Everything the emulator and the runtime printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** The emulator binary: KB_LAMBDA_RIE, else `aws-lambda-rie` on PATH; undefined when there is none. */
export function findEmulator(env: Record<string, string | undefined> = process.env): string | undefined {
  const candidates = env.KB_LAMBDA_RIE ? [env.KB_LAMBDA_RIE] : (env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'aws-lambda-rie'));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Starts `bundle` (an `index.mjs` exporting `handler`) under the emulator with `env` as the
 * function's environment, and resolves once the emulator listens. The runtime client starts the
 * handler on the first invocation, as Lambda's bootstrap would: time that to measure a cold start.
 */
export async function startEmulated(emulator: string, bundle: string, env: Record<string, string>): Promise<EmulatedFunction> {
  const [invokePort, runtimeApiPort] = [await freePort(), await freePort()];
  const invokeUrl = `http://127.0.0.1:${invokePort}/2015-03-31/functions/function/invocations`;
  const client = createRequire(import.meta.url).resolve('aws-lambda-ric');
  const args = ['--runtime-interface-emulator-address', `127.0.0.1:${invokePort}`, '--runtime-api-address', `127.0.0.1:${runtimeApiPort}`];
  const rie: ChildProcess = spawn(emulator, [...args, process.execPath, '--enable-source-maps', client, 'index.handler'], {
    cwd: dirname(bundle),
    // Its own process group: stopping it stops the runtime it started too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', LAMBDA_TASK_ROOT: dirname(bundle), AWS_REGION: 'us-east-1', ...env },
  });
  let output = '';
  rie.stdout?.on('data', (chunk) => (output += chunk));
  rie.stderr?.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (rie.pid && rie.exitCode === null) {
      const exited = once(rie, 'exit');
      process.kill(-rie.pid, 'SIGKILL');
      await exited;
    }
  };
  try {
    await waitForPort(invokePort, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    async invoke(event) {
      const response = await fetch(invokeUrl, { method: 'POST', body: JSON.stringify(event) });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`the emulator answered ${response.status}: ${text}\n${output}`);
      return JSON.parse(text) as unknown;
    },
    output: () => output,
    stop,
  };
}

/** A port nothing listens on yet (the emulator binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the emulator never listened on ${port}:\n${log()}`);
}
