/** The four support tiers, lowest first: the order is used for audience and escalation. */
export const TIERS = ['l1', 'l2', 'l3', 'infra'] as const;
export type Tier = (typeof TIERS)[number];

export const STATES = ['draft', 'not-validated', 'validated', 'archived'] as const;
export type KcsState = (typeof STATES)[number];

export const SECTION_KINDS = ['symptoms', 'cause', 'diagnosis', 'fix', 'verify', 'rollback', 'escalation', 'other'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** The tiers allowed to read content written for `tier`: that tier and every tier above it. */
export function tiersFrom(tier: Tier): Tier[] {
  return TIERS.slice(tierRank(tier));
}

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

export interface Escalation {
  tier?: Tier;
  team?: string;
}

export interface RunbookMeta {
  id: string;
  title: string;
  tier: Tier;
  category?: string;
  symptoms: string[];
  tags: string[];
  owner?: string;
  state: KcsState;
  audience: Tier[];
  reviewBy?: string;
  escalateTo?: Escalation;
  appliesTo: string[];
  related: string[];
  /** Free-text summary from foreign frontmatter (`description`, `summary`). */
  description?: string;
}

export interface CommandBlock {
  /** The fence's language (`powershell`, `bash`…); empty when the author gave none. */
  lang: string;
  code: string;
}

export interface FixStep {
  /** 1-based position in the Fix section. */
  n: number;
  text: string;
  commands: CommandBlock[];
}

export interface Section {
  kind: SectionKind;
  heading: string;
  /** URL fragment of the heading, unique within the runbook. */
  anchor: string;
  /** Heading depth (1–6); 0 for the text before the first heading. */
  depth: number;
  text: string;
  /** Present on fix sections: the ordered steps with their commands. */
  steps?: FixStep[];
}

export interface Link {
  url: string;
  text: string;
  internal: boolean;
  line?: number;
  column?: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Message {
  severity: Severity;
  /** Fatal messages mean the runbook could not be compiled and is skipped. */
  fatal: boolean;
  ruleId: string;
  reason: string;
  /** How to fix it, in a sentence (lint rules give one with each message). */
  hint?: string;
  line?: number;
  column?: number;
}

export interface CompiledRunbook {
  id: string;
  /** POSIX path relative to the content root. */
  path: string;
  meta: RunbookMeta;
  sections: Section[];
  steps: FixStep[];
  links: Link[];
  html: string;
  /** sha256 of the source bytes: incremental indexing compares it. */
  hash: string;
  messages: Message[];
  /** Which metadata fields were inferred because the source did not give them. */
  inferred: string[];
  /** True when the frontmatter opted in to the authors' contract (it declares `id` or `tier`). */
  native: boolean;
}

export interface CompileFailure {
  path: string;
  hash: string;
  messages: Message[];
}

export type CompileResult = { ok: true; runbook: CompiledRunbook } | { ok: false; failure: CompileFailure };
