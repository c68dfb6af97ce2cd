/** A command of `kb`: what `kb --help` and `kb <name> --help` say about it, and how to load it. */
export interface CommandEntry {
  summary: string;
  /** The positional arguments, as the usage line shows them (`[paths…]`); options come from the command's table. */
  args?: string;
  /** Environment variables the command reads, for its `--help`. */
  env?: string;
  load: () => Promise<{ run: (argv: string[]) => Promise<number> }>;
}

const CLIENT_ENV = 'KB_URL (the server; default http://localhost:$PORT), PORT (default 3000)';

/** Each command is loaded only when used, so `kb lint` in a pre-commit hook does not load the server. */
export const COMMANDS: Record<string, CommandEntry> = {
  lint: {
    summary: 'check runbooks; prints path:line:col severity message rule-id and a hint, exits 1 on errors',
    args: '[paths…]',
    load: () => import('./commands/lint.ts'),
  },
  build: {
    summary: 'compile a content folder into a bundle; reports broken files and prints a summary',
    load: () => import('./commands/build.ts'),
  },
  new: { summary: "scaffold a runbook from its tier's template", args: '"Title of the problem"', load: () => import('./commands/new.ts') },
  serve: {
    summary: 'run the platform locally: API, web app, re-indexing on save',
    env: 'PORT, KB_OPENSEARCH_URL, KB_OPENSEARCH_AUTH, KB_OPENSEARCH_INDEX',
    load: () => import('./commands/serve.ts'),
  },
  index: {
    summary: 'compile a content folder and bring an OpenSearch alias in line with it; or fill the resolution index from the table',
    env: 'KB_OPENSEARCH_URL, KB_OPENSEARCH_AUTH, KB_OPENSEARCH_INDEX, KB_OPENSEARCH_REPLICAS, KB_RESOLUTION_ALIAS',
    load: () => import('./commands/index.ts'),
  },
  suggest: { summary: 'suggest runbooks for a ticket', args: '"what the user says"', load: () => import('./commands/suggest.ts') },
  eval: {
    summary: 'measure relevance of a labelled query set: MRR@10, R@1, R@5, nDCG@10',
    args: 'QUERIES.jsonl',
    env: 'KB_URL (evaluate against that server unless --content is given)',
    load: () => import('./commands/eval.ts'),
  },
  gaps: { summary: 'knowledge-gap report of a running server', env: CLIENT_ENV, load: () => import('./commands/gaps.ts') },
  draft: {
    summary: 'draft a runbook from a written-back resolution',
    args: 'SOURCE/TICKET',
    env: CLIENT_ENV,
    load: () => import('./commands/draft.ts'),
  },
  bench: { summary: 'print performance figures', load: () => import('./commands/bench.ts') },
  keys: {
    summary: 'API keys for ticket systems on a local or self-hosted server; only a hash is stored',
    args: 'create NAME | list | revoke ID',
    load: () => import('./commands/keys.ts'),
  },
};
