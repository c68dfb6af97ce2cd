import { CliError } from './cli-error.ts';

/** Each command is loaded only when used, so `kb lint` in a pre-commit hook does not load the server. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> }> = {
  lint: { summary: 'check runbooks: kb lint [paths…] [--format json] [--strict]', load: () => import('./commands/lint.ts') },
  build: { summary: 'compile a content folder: kb build [--content DIR] [--out FILE]', load: () => import('./commands/build.ts') },
  new: { summary: 'scaffold a runbook: kb new --tier l1 "Title"', load: () => import('./commands/new.ts') },
  serve: { summary: 'run the platform locally: kb serve [--content DIR] [--port N]', load: () => import('./commands/serve.ts') },
  index: {
    summary: 'index into OpenSearch: kb index --opensearch URL [--content DIR] [--full]',
    load: () => import('./commands/index.ts'),
  },
  suggest: { summary: 'suggest runbooks for a ticket: kb suggest "text" [--tier l1]', load: () => import('./commands/suggest.ts') },
  eval: { summary: 'measure relevance: kb eval QUERIES.jsonl [--content DIR | --url URL]', load: () => import('./commands/eval.ts') },
  gaps: { summary: 'knowledge-gap report of a running server: kb gaps [--url URL]', load: () => import('./commands/gaps.ts') },
  draft: { summary: 'draft a runbook from a resolution: kb draft SOURCE/TICKET [--url URL]', load: () => import('./commands/draft.ts') },
  bench: { summary: 'print performance figures: kb bench [--json]', load: () => import('./commands/bench.ts') },
  keys: { summary: 'API keys for ticket systems: kb keys create NAME | list | revoke ID', load: () => import('./commands/keys.ts') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `kb — runbook-kb command line\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`kb: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Expected failures (bad flags, unreachable server) print one line; anything else is a bug and
  // keeps its stack for the report.
  if (error instanceof CliError) {
    process.stderr.write(`kb: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
