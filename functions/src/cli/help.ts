import type { OptionSpec, OptionTable } from './args.ts';
import type { CommandEntry } from './commands.ts';

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

function flag(name: string, option: OptionSpec): string {
  const long = `--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : `    ${long}`;
}

function describe(option: OptionSpec): string {
  const shown = option.type === 'string' && option.default !== undefined && option.default !== '';
  return `${option.help ?? ''}${shown ? ` (default: ${String(option.default)})` : ''}`;
}

/**
 * `kb <name> --help`, generated from the command's option table (the one its parser uses) and its
 * registry entry. Options without a `help` line are internal and left out.
 */
export function commandHelp(name: string, entry: CommandEntry, options: OptionTable): string {
  const rows = [...Object.entries(options).filter(([, o]) => o.help !== undefined), ['help', HELP_OPTION] as const].map(
    ([optionName, option]) => [flag(optionName, option), describe(option)] as const,
  );
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    `Usage: kb ${name} [options]${entry.args ? ` ${entry.args}` : ''}`,
    '',
    `${entry.summary[0]?.toUpperCase()}${entry.summary.slice(1)}.`,
    '',
    'Options:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`.trimEnd()),
    ...(entry.env ? ['', `Environment: ${entry.env}`] : []),
    '',
  ].join('\n');
}

/** `kb --help`: every command with its summary. */
export function overviewHelp(commands: Record<string, CommandEntry>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length)) + 2;
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return `kb — runbook-kb command line\n\nUsage: kb <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "kb <command> --help" for a command's options.\n`;
}
