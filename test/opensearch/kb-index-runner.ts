// Runs `kb index` in its own process the way functions/src/cli/kb.ts runs a command (one-line
// CliError messages, exit codes), for the fault tests. Once kb.ts registers the command, the tests
// can call the real `kb index` through test/helpers/cli.ts instead.
import { CliError } from '../../functions/src/cli/cli-error.ts';
import { run } from '../../functions/src/cli/commands/index.ts';

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`kb: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
