import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createStacks, type KbStacks } from '../../infra/app.ts';

export interface Synthesized {
  stacks: KbStacks;
  templates: { data: Template; web: Template; api: Template; ops: Template };
  /** Violations cdk-nag reported that no acknowledgement covers. */
  violations: { rule: string; severity: string; paths: string[] }[];
  /** Every acknowledgement in the tree: rule id → reason. */
  acknowledgements: { path: string; id: string; reason: string }[];
  /** The error synth threw, if any (cdk-nag errors fail synth). */
  error?: unknown;
}

type Report = {
  pluginReports?: { violations?: { ruleName: string; severity?: string; violatingConstructs?: { constructPath?: string }[] }[] }[];
};

/**
 * Synthesizes the app once (cdk-nag's AwsSolutions pack included), without bundling the
 * handlers: the templates do not depend on the bundles, and test/infra/bundles.test.ts builds
 * those with the same settings.
 */
export function synthesize(context: Record<string, unknown> = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'kb-cdk-'));
  try {
    return synthesizeIn(outdir, context);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Synthesizes the app with the handlers bundled (as `cdk synth` does: esbuild, then the bundling
 * hooks), and hands `inspect` the templates and the output folder, where each function's asset is
 * `asset.<hash>/`, before the folder is removed.
 */
export function synthesizeBundled<T>(context: Record<string, unknown>, inspect: (app: Synthesized, outdir: string) => T): T {
  const outdir = mkdtempSync(join(tmpdir(), 'kb-cdk-bundled-'));
  try {
    return inspect(synthesizeIn(outdir, context, true), outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function synthesizeIn(outdir: string, context: Record<string, unknown>, bundle = false): Synthesized {
  const app = new App({ outdir, context: { ...readCdkJsonContext(), ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context } });
  const stacks = createStacks(app);
  let error: unknown;
  try {
    app.synth();
  } catch (e) {
    error = e;
  }
  const violations: Synthesized['violations'] = [];
  const reportFile = readdirSync(outdir).find((f) => /validation-report.*\.json$/.test(f));
  if (reportFile) {
    const report = JSON.parse(readFileSync(join(outdir, reportFile), 'utf8')) as Report;
    for (const plugin of report.pluginReports ?? []) {
      for (const v of plugin.violations ?? []) {
        violations.push({
          rule: v.ruleName,
          severity: v.severity ?? 'error',
          paths: (v.violatingConstructs ?? []).map((c) => c.constructPath ?? ''),
        });
      }
    }
  }
  const acknowledgements: Synthesized['acknowledgements'] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, value] of Object.entries(entry.data as Record<string, unknown>)) {
        const reason = typeof value === 'string' ? value : String((value as { reason?: string })?.reason ?? '');
        acknowledgements.push({ path: node.node.path, id, reason });
      }
    }
    for (const child of node.node.children) visit(child);
  };
  visit(app);
  const templates = {
    data: Template.fromStack(stacks.data),
    web: Template.fromStack(stacks.web),
    api: Template.fromStack(stacks.api),
    ops: Template.fromStack(stacks.ops),
  };
  return { stacks, templates, violations, acknowledgements, ...(error ? { error } : {}) };
}

function readCdkJsonContext(): Record<string, unknown> {
  const json = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context?: Record<string, unknown> };
  return json.context ?? {};
}

/** A template's resources of one type, by logical id. */
export function resources(template: Template, type: string): [string, { Properties: Record<string, unknown>; DeletionPolicy?: string }][] {
  return Object.entries(template.findResources(type)) as [string, { Properties: Record<string, unknown>; DeletionPolicy?: string }][];
}
