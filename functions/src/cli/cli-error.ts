import type { OptionTable } from './args.ts';

/** A failure the user can act on: printed as one line, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line itself is wrong (an unknown flag, a missing argument): kb.ts points at `--help`. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** `--help` was asked for: not a failure; kb.ts prints the command's usage from `options`. */
export class HelpRequested extends Error {
  constructor(readonly options: OptionTable) {
    super('help requested');
    this.name = 'HelpRequested';
  }
}
