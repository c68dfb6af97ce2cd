import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isTier, type Tier } from '../core/runbook/model.ts';
import { CliError } from './cli-error.ts';

/** node:util parseArgs, with its errors turned into one-line CLI errors. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError((error as Error).message);
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

export { today } from '../app/clock.ts';
