import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isTier, type Tier } from '../core/runbook/model.ts';
import { CliError, HelpRequested, UsageError } from './cli-error.ts';

type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * One option of a command: node:util parseArgs' own fields, plus what `--help` prints. The same
 * table is parsed and printed, so the help cannot drift from what the parser accepts.
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  default?: string | boolean;
  /** One line for `--help`; options without one are internal and not listed. */
  help?: string;
  /** The value's name in `--help` (`--content DIR`); `VALUE` when absent. */
  value?: string;
}

export type OptionTable = Record<string, OptionSpec>;

/** `-h` / `--help` anywhere before a `--`, so it works even when the rest of the line is incomplete. */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * node:util parseArgs over a command's option table, with its errors turned into one-line usage
 * errors. `--help` throws HelpRequested with the table, which kb.ts prints as the command's usage.
 */
export function parse<T extends OptionTable & ParseArgsOptions>(argv: string[], options: T) {
  if (wantsHelp(argv)) throw new HelpRequested(options);
  const parserOptions = Object.fromEntries(
    Object.entries(options).map(([name, { help: _help, value: _value, ...option }]) => [name, option]),
  ) as T;
  try {
    return parseArgs({ args: argv, options: parserOptions, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function tierOption(value: string | undefined, flag: string): Tier | undefined {
  if (value === undefined) return undefined;
  if (!isTier(value)) throw new CliError(`${flag} must be one of l1, l2, l3, infra (got "${value}")`);
  return value;
}

export function intOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${flag} must be a whole number (got "${value}")`);
  return n;
}

/** What `--help` says about the server URL of client commands. */
export const SERVER_URL_HELP = 'server to ask (default: $KB_URL, else http://localhost:$PORT, port 3000)';

/**
 * The server a client command talks to: `--url`, else `KB_URL`, else `http://localhost:$PORT`
 * (3000), the address `kb serve` listens on with the same variables.
 */
export function serverUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const [url, from] = flag
    ? [flag, '--url']
    : env.KB_URL
      ? [env.KB_URL, 'KB_URL']
      : [`http://localhost:${intOption(env.PORT, 'PORT', 3000)}`, 'PORT'];
  try {
    return new URL(url).href;
  } catch {
    throw new CliError(`${from} must be a URL such as http://localhost:3000 (got "${url}")`);
  }
}

export { today } from '../app/clock.ts';
