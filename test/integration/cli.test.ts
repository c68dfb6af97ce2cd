import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../functions/src/cli/commands.ts';
import { kb } from '../helpers/cli.ts';
import { l1Runbook } from '../helpers/runbooks.ts';

const KB = new URL('../../functions/bin/kb.js', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

/** `kb` without blocking the event loop (a test server in this process must answer it), with its own environment. */
function kbAsync(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [KB, ...args], {
      cwd: ROOT,
      env: { ...process.env, KB_URL: undefined, PORT: undefined, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A new folder in the temp directory, removed with the others once this file's tests are done. */
const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('kb command line', () => {
  it('kb lint prints path:line:col severity message rule-id, a hint under it, and exits 1 on errors', () => {
    const { status, stdout } = kb('lint', 'test/fixtures/runbooks/not-ok');
    expect(status).toBe(1);
    expect(stdout).toContain(
      'test/fixtures/runbooks/not-ok/l1/dead-link.md:20:43 error Unexpected link to `../l2/nope.md`: no runbook at `l2/nope.md` internal-links\n  hint: Link to an existing runbook',
    );
    expect(stdout).toContain(
      'l1/dead-link.md:28:14 error Unexpected link to `stale-and-inlin.md`: no runbook at `l1/stale-and-inlin.md`; did you mean `stale-and-inline.md`? internal-links',
    );
    expect(stdout).toContain(
      'l1/bad-anchors.md:19:30 error Unexpected link to `#verfy`: no heading `verfy` in this runbook; did you mean `#verify`?',
    );
  });

  it('kb lint reports a malformed taxonomy.yaml at its line, with a hint, and still checks the runbooks', () => {
    // Prepare: a library whose taxonomy sends L3 escalations to a team it does not list.
    const dir = tempDir('kb-taxonomy-');
    const taxonomy =
      'categories: [{ id: network }]\nteams:\n  - { id: net, name: Network Support, queue: NET-L2 }\nescalation:\n  l3: nobody\n';
    writeFileSync(join(dir, 'taxonomy.yaml'), taxonomy);
    mkdirSync(join(dir, 'l1'));
    writeFileSync(join(dir, 'l1', 'a.md'), l1Runbook('a').replace('owner: desk', 'owner: TODO'));
    // Act
    const { status, stdout } = kb('lint', dir);
    // Assess: one line at the offending value, not a stack trace; the runbook's own error too.
    expect(status).toBe(1);
    expect(stdout).toMatch(
      /taxonomy\.yaml:5:7 error Unexpected team `nobody` for `escalation\.l3`, expected a team id from `teams` \(net\) taxonomy\n {2}hint: /,
    );
    expect(stdout).toMatch(/l1\/a\.md:\d+:\d+ error .*owner: TODO/);
    expect(stdout).not.toContain('    at ');
  });

  it('kb lint --format json gives machine-readable messages with their hints', () => {
    const { status, stdout } = kb('lint', 'test/fixtures/runbooks/not-ok/l1/stale-and-inline.md', '--format', 'json');
    const report = JSON.parse(stdout);
    expect(status).toBe(0);
    expect(report.warnings).toBe(2);
    expect(report.files[0].messages.map((m: { ruleId: string }) => m.ruleId)).toEqual(['stale', 'fenced-commands']);
    expect(report.files[0].messages[0].hint).toMatch(/review-by/);
  });

  it('kb lint of a single file still checks links against its whole library', () => {
    const { status, stdout } = kb('lint', 'test/fixtures/runbooks/ok/l1/vpn-drops.md');
    expect(stdout).toBe('');
    expect(status).toBe(0);
  });

  it('kb build writes a bundle, reports skipped files with a non-zero exit, and counts warnings as kb lint does', () => {
    const out = join(tempDir('kb-build-'), 'bundle.json');
    const { status, stdout, stderr } = kb('build', '--content', 'test/fixtures/runbooks/not-ok', '--out', out);
    expect(stdout).toMatch(/Compiled 8 of 9 files/);
    expect(stderr).toMatch(/^compiling 9 files…$/m);
    expect(stderr).toMatch(/duplicate-b\.md:1:1 error Duplicate id `same-id`.*\(skipped\)/);
    expect(status).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).runbooks).toHaveLength(8);

    const lint = JSON.parse(kb('lint', 'test/fixtures/runbooks/not-ok', '--format', 'json').stdout);
    expect(lint.warnings).toBe(2);
    expect(stdout).toContain(`warnings: ${lint.warnings},`);
  });

  it('kb eval and kb build name a missing content folder in one line, without a stack trace', () => {
    for (const command of ['eval', 'build']) {
      const args = command === 'eval' ? ['test/relevance/starter-queries.jsonl'] : [];
      const { status, stderr } = kb(command, '--content', 'test/fixtures/no-such-folder', ...args);
      expect(status, command).toBe(1);
      expect(stderr, command).toMatch(/^kb: no content folder at test\/fixtures\/no-such-folder$/m);
      expect(stderr, command).not.toMatch(/\n\s+at /);
    }
  });

  it('kb new scaffolds a runbook that fails lint until its placeholders are filled in', () => {
    const dir = tempDir('kb-new-');
    const { status, stdout } = kb('new', '--tier', 'l2', '--content', dir, 'Printer spooler crashes');
    expect(status).toBe(0);
    expect(stdout).toContain('l2/printer-spooler-crashes.md');
    const file = join(dir, 'l2', 'printer-spooler-crashes.md');
    const scaffold = readFileSync(file, 'utf8');
    expect(scaffold).toMatch(/^## Cause$/m);

    const unfilled = kb('lint', dir);
    expect(unfilled.status).toBe(1);
    expect(unfilled.stdout).toMatch(
      /printer-spooler-crashes\.md:\d+:1 error Unexpected placeholder `owner: your-team`, expected a real value placeholders/,
    );
    expect(unfilled.stdout).toMatch(/error Unexpected template text in `## Verify`/);

    const filled = scaffold
      .replace('CHOOSE-FROM-taxonomy.yaml', 'printing')
      .replace('what the user says', 'print jobs vanish')
      .replace('your-team', 'desk')
      .split('\n## ')
      .map((section, n) => (n === 0 ? section : `${section.split('\n')[0]}\n\n1. Written by the author.\n`))
      .join('\n## ');
    writeFileSync(file, filled);
    expect(kb('lint', dir)).toMatchObject({ status: 0, stdout: '' });
  });

  it('kb new refuses an id another tier already has, and offers --id', () => {
    const dir = tempDir('kb-new-clash-');
    mkdirSync(join(dir, 'l3'));
    writeFileSync(join(dir, 'l3', 'dhcp-scope-exhausted.md'), l1Runbook('dhcp-scope-exhausted').replace('tier: l1', 'tier: l3'));
    const clash = kb('new', '--tier', 'l2', '--content', dir, 'DHCP scope exhausted');
    expect(clash.status).toBe(1);
    expect(clash.stderr).toBe(
      `kb: id "dhcp-scope-exhausted" is already used by ${join(dir, 'l3', 'dhcp-scope-exhausted.md')}; ids are unique across tiers. Choose another, e.g. --id dhcp-scope-exhausted-l2\n`,
    );
    const other = kb('new', '--tier', 'l2', '--content', dir, '--id', 'dhcp-scope-exhausted-l2', 'DHCP scope exhausted');
    expect(other.status).toBe(0);
    expect(readFileSync(join(dir, 'l2', 'dhcp-scope-exhausted-l2.md'), 'utf8')).toMatch(/^id: dhcp-scope-exhausted-l2$/m);
  });

  it('an unknown flag is one clear line and a pointer to --help, not a stack trace', () => {
    const { status, stderr } = kb('lint', '--bogus');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^kb: Unknown option '--bogus'/);
    expect(stderr).toContain('Run "kb lint --help" for usage.');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("kb bench --serve run alone (the bench's own server) says what it needs, not a stack trace", () => {
    const { status, stderr } = kb('bench', '--serve', '10', '--queries', 'test/fixtures/no-such-queries.json');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^kb: --serve is kb bench's own search server and needs the .+: run "kb bench"$/m);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('kb suggest cuts long step text at a word boundary, with an ellipsis', () => {
    const dir = tempDir('kb-suggest-');
    mkdirSync(join(dir, 'l1'));
    const step = `Open the print queue on the workstation and cancel every document that ${'still shows an error status '.repeat(4)}there.`;
    writeFileSync(join(dir, 'l1', 'print-queue.md'), l1Runbook('print-queue', { title: 'Print queue stuck' }).replace('Restart it.', step));
    const { status, stdout } = kb('suggest', '--content', dir, 'print queue stuck');
    expect(status).toBe(0);
    const line = stdout.split('\n').find((l) => l.trim().startsWith('1. Open the print queue'));
    expect(line?.trim()).toBe('1. Open the print queue on the workstation and cancel every document that still shows an error status…');
  });
});

describe('kb --help', () => {
  it('lists every command', () => {
    const { status, stdout } = kb('--help');
    expect(status).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  it.each(Object.keys(COMMANDS))('kb %s --help prints its usage and options and exits 0', (name) => {
    const { status, stdout } = kb(name, '--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: kb ${name} \\[options\\]`));
    expect(stdout).toMatch(/^ {2}-h, --help +show this help$/m);
  });

  it('-h and kb help <command> are --help', () => {
    const long = kb('eval', '--help').stdout;
    expect(kb('eval', '-h').stdout).toBe(long);
    expect(kb('help', 'eval').stdout).toBe(long);
  });

  it('documents each option with the name and default the parser uses', () => {
    const { stdout } = kb('build', '--help');
    expect(stdout).toMatch(/^ {6}--content DIR +the content folder to compile \(default: content\)$/m);
    expect(stdout).toMatch(/^ {6}--out FILE +where to write the bundle \(default: \.kb\/bundle\.json\)$/m);
    // Help wins over everything else on the line: no --tier needed to read how to pass it.
    expect(kb('new', '--help').stdout).toMatch(/--tier l1\|l2\|l3\|infra/);
  });
});

describe('client commands find the server by --url, KB_URL or PORT', () => {
  let server: Server;
  let port: number;
  const report = { zeroResultSearches: [], ticketsWithoutRunbook: [], problemRunbooks: [], linkRate: 0.5, reuse: [] };

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(request.url === '/analytics/gaps' ? report : {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('kb gaps asks localhost on PORT', async () => {
    const { status, stdout } = await kbAsync(['gaps', '--json'], { PORT: String(port) });
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(report);
  });

  it('kb gaps asks KB_URL, and --url wins over it', async () => {
    expect((await kbAsync(['gaps', '--json'], { KB_URL: `http://127.0.0.1:${port}`, PORT: '1' })).status).toBe(0);
    const wins = await kbAsync(['gaps', '--json', '--url', `http://127.0.0.1:${port}`], { KB_URL: 'http://127.0.0.1:1' });
    expect(wins.status).toBe(0);
  });

  it('an unreachable server is one line naming where it looked', async () => {
    const { status, stderr } = await kbAsync(['gaps'], { PORT: '1' });
    expect(status).toBe(1);
    expect(stderr).toBe('kb: cannot reach http://localhost:1: is `kb serve` running there? (set --url, KB_URL or PORT)\n');
  });

  it('an unreachable table is one line saying so, not a stack trace', async () => {
    const table = { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', AWS_REGION: 'eu-west-1', AWS_MAX_ATTEMPTS: '1' };
    const credentials = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
    const { status, stderr } = await kbAsync(['keys', 'list', '--table', 'kb-resolutions'], { ...table, ...credentials });
    expect(status).toBe(1);
    expect(stderr).toBe('kb: DynamoDB cannot take requests now (connect ECONNREFUSED 127.0.0.1:9)\n');
  });
});
