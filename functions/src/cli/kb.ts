import { ModelFilesError } from '../adapters/onnx/model-store.ts';
import { SettingError } from '../contracts/json-setting.ts';
import { UnavailableError } from '../core/errors.ts';
import { CliError, HelpRequested, UsageError } from './cli-error.ts';
import { COMMANDS } from './commands.ts';
import { commandHelp, overviewHelp } from './help.ts';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (name ? process.stdout : process.stderr).write(overviewHelp(COMMANDS));
    return name ? 0 : 2;
  }
  // `kb help lint` is `kb lint --help`.
  if (name === 'help') return main(rest[0] ? [rest[0], '--help'] : ['--help']);
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`kb: unknown command "${name}"\n\n${overviewHelp(COMMANDS)}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(commandHelp(name, command, error.options));
      return 0;
    }
    if (error instanceof UsageError) throw new UsageError(`${error.message}\nRun "kb ${name} --help" for usage.`);
    throw error;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Expected failures (bad flags, unreachable server or table, a setting or the model to fix)
  // print one line; anything else is a bug and keeps its stack for the report.
  if (error instanceof CliError || error instanceof ModelFilesError || error instanceof SettingError || error instanceof UnavailableError) {
    process.stderr.write(`kb: ${error.message}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
