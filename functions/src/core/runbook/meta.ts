import * as z from 'zod/mini';
import type { Frontmatter, Point } from './frontmatter.ts';
import './zod-messages.ts';
import { type Escalation, isTier, type Message, type RunbookMeta, STATES, TIERS, type Tier, tierRank, tiersFrom } from './model.ts';

export interface MetaContext {
  /** POSIX path relative to the content root. */
  path: string;
  firstHeading?: string;
  defaultTier: Tier;
  /** Missing runbook-kb fields are errors instead of warnings. */
  strict: boolean;
  /** Category ids from taxonomy.yaml; without it any category is accepted. */
  categories?: ReadonlySet<string>;
}

export interface MetaResult {
  meta: RunbookMeta;
  messages: Message[];
  inferred: string[];
  native: boolean;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A single string where a list is expected is read as a one-item list: authors write `tags: vpn`. */
const list = <T extends z.ZodMiniType<string>>(item: T) =>
  z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? [v] : v)),
    z.array(item),
  );
const tier = z.enum(TIERS, { error: () => `expected one of ${TIERS.join(', ')}` });
const text = (...checks: z.core.$ZodCheck<string>[]) => z.string().check(...checks);

/** Each known frontmatter field with its schema; unknown fields are tolerated (foreign docs carry many). */
const FIELDS = {
  id: text(z.regex(SLUG, 'expected a slug of a-z, 0-9 and dashes, such as `vpn-client-fails`')),
  title: text(z.trim(), z.minLength(1), z.maxLength(200)),
  tier,
  category: text(z.minLength(1)),
  symptoms: z.pipe(list(text(z.trim(), z.minLength(1))), z.array(z.string()).check(z.minLength(1, 'expected at least one symptom'))),
  tags: list(text(z.minLength(1))),
  owner: text(z.trim(), z.minLength(1)),
  state: z.enum(STATES, { error: () => `expected one of ${STATES.join(', ')}` }),
  audience: z.pipe(list(z.string()), z.array(tier).check(z.minLength(1))),
  'review-by': z.pipe(
    z.transform((v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)),
    text(z.regex(ISO_DATE, 'expected a date as YYYY-MM-DD')),
  ),
  'escalate-to': z.union([tier, z.strictObject({ tier: z.optional(tier), team: z.optional(text(z.minLength(1))) })]),
  'applies-to': list(text(z.minLength(1))),
  related: list(text(z.minLength(1))),
  description: z.string(),
  summary: z.string(),
} as const;

type FieldName = keyof typeof FIELDS;
const REQUIRED: FieldName[] = ['id', 'title', 'tier', 'category', 'symptoms', 'owner', 'state'];

/** `kubernetes/KubePodCrashLooping.md` → `kubernetes-kubepodcrashlooping`. */
export function idFromPath(path: string): string {
  const slug = path
    .replace(/\.(md|markdown)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'runbook';
}

const TIER_FOLDERS: Record<string, Tier> = {
  l1: 'l1',
  tier1: 'l1',
  'help-desk': 'l1',
  helpdesk: 'l1',
  l2: 'l2',
  tier2: 'l2',
  l3: 'l3',
  tier3: 'l3',
  infra: 'infra',
  infrastructure: 'infra',
};

/** The tier named by a folder in the path (`content/l2/x.md`, `docs/tier-3/x.md`), if any. */
export function tierFromPath(path: string): Tier | undefined {
  const folders = path.split('/').slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const key = (folders[i] ?? '').toLowerCase().replace(/[-_ ]/g, '');
    const found = TIER_FOLDERS[key] ?? TIER_FOLDERS[(folders[i] ?? '').toLowerCase()];
    if (found) return found;
  }
  return undefined;
}

function at(point: Point | undefined): Pick<Message, 'line' | 'column'> {
  return point ? { line: point.line, column: point.column } : {};
}

/**
 * Validates runbook-kb frontmatter and infers what is missing, so that any Markdown compiles.
 * A file that declares `id` or `tier` opted in to the authors' contract: its missing fields are
 * errors. For other (foreign) files they are one warning, or an error with `strict`.
 */
export function buildMeta(fm: Frontmatter, ctx: MetaContext): MetaResult {
  const messages: Message[] = [];
  const valid: Partial<Record<FieldName, unknown>> = {};
  const native = 'id' in fm.data || 'tier' in fm.data;

  for (const [key, value] of Object.entries(fm.data)) {
    const schema = (FIELDS as Record<string, z.ZodMiniType>)[key];
    if (!schema) continue;
    if (value === null && !native) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      valid[key as FieldName] = parsed.data;
      continue;
    }
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
    // Foreign docs use some of these names for their own purposes (`audience: ITPro`): their
    // values are ignored with a warning rather than failing a file that never opted in.
    messages.push({
      severity: native ? 'error' : 'warning',
      fatal: false,
      ruleId: 'frontmatter-schema',
      reason: `Unexpected value for \`${key}\`${where}: ${issue?.message ?? 'invalid'}${native ? '' : ' (ignored)'}`,
      ...at(fm.positions.get(key)),
    });
  }

  const category = valid.category as string | undefined;
  if (category !== undefined && ctx.categories && !ctx.categories.has(category)) {
    messages.push({
      severity: 'error',
      fatal: false,
      ruleId: 'frontmatter-schema',
      reason: `Unexpected category \`${category}\`, expected an id from taxonomy.yaml (${[...ctx.categories].join(', ')})`,
      ...at(fm.positions.get('category')),
    });
  }

  const missing = REQUIRED.filter((field) => !(field in fm.data));
  const inferred: string[] = [];
  const pathTier = tierFromPath(ctx.path);
  const runbookTier = (valid.tier as Tier | undefined) ?? pathTier ?? ctx.defaultTier;
  const description = (valid.description ?? valid.summary) as string | undefined;
  const title = (valid.title as string | undefined) ?? ctx.firstHeading ?? ctx.path.split('/').pop() ?? ctx.path;
  if (valid.id === undefined) inferred.push('id');
  if (valid.title === undefined) inferred.push('title');
  if (valid.tier === undefined) inferred.push('tier');
  if (valid.symptoms === undefined && description) inferred.push('symptoms');
  if (valid.state === undefined) inferred.push('state');

  if (missing.length > 0) {
    const severity = native || ctx.strict ? 'error' : 'warning';
    const reason = native
      ? `Missing required frontmatter field${missing.length > 1 ? 's' : ''} ${missing.map((f) => `\`${f}\``).join(', ')}`
      : `Missing runbook-kb fields ${missing.map((f) => `\`${f}\``).join(', ')}; inferred tier \`${runbookTier}\` and id from the path`;
    messages.push({ severity, fatal: false, ruleId: 'frontmatter-schema', reason, ...at(fm.start) });
  }

  const escalation = valid['escalate-to'] as Tier | Escalation | undefined;
  const escalateTo: Escalation | undefined = isTier(escalation) ? { tier: escalation } : escalation;
  if (escalateTo?.tier && tierRank(escalateTo.tier) <= tierRank(runbookTier)) {
    messages.push({
      severity: 'error',
      fatal: false,
      ruleId: 'frontmatter-schema',
      reason: `Unexpected \`escalate-to\` tier \`${escalateTo.tier}\`, expected a tier above \`${runbookTier}\``,
      ...at(fm.positions.get('escalate-to')),
    });
  }
  const audience = (valid.audience as Tier[] | undefined) ?? tiersFrom(runbookTier);
  if (!audience.includes(runbookTier)) {
    messages.push({
      severity: 'error',
      fatal: false,
      ruleId: 'frontmatter-schema',
      reason: `Unexpected \`audience\` without the runbook's own tier \`${runbookTier}\``,
      ...at(fm.positions.get('audience')),
    });
  }

  const meta: RunbookMeta = {
    id: (valid.id as string | undefined) ?? idFromPath(ctx.path),
    title,
    tier: runbookTier,
    symptoms: (valid.symptoms as string[] | undefined) ?? (description ? [description] : []),
    tags: (valid.tags as string[] | undefined) ?? [],
    state: (valid.state as RunbookMeta['state'] | undefined) ?? 'not-validated',
    audience,
    appliesTo: (valid['applies-to'] as string[] | undefined) ?? [],
    related: (valid.related as string[] | undefined) ?? [],
    ...(category === undefined ? {} : { category }),
    ...(valid.owner === undefined ? {} : { owner: valid.owner as string }),
    ...(valid['review-by'] === undefined ? {} : { reviewBy: valid['review-by'] as string }),
    ...(escalateTo === undefined ? {} : { escalateTo }),
    ...(description === undefined ? {} : { description }),
  };
  return { meta, messages, inferred, native };
}
