// Types `.meta()` with OpenAPI's fields (id, example, param) for the document http/openapi.ts builds.
/// <reference types="zod-openapi" />
import * as z from 'zod';
import { toUtcIso } from '../core/resolutions/closed-at.ts';
import { SECTION_KINDS, STATES, TIERS } from '../core/runbook/model.ts';
import { commaList } from '../core/text/comma-list.ts';

/**
 * The HTTP API's request and response schemas: the one source for validation, the OpenAPI
 * document at /openapi.json, and the web app's types.
 */

export const Tier = z.enum(TIERS).meta({ id: 'Tier', description: 'Support tier: l1 help desk … infra engineer' });
export const State = z.enum(STATES).meta({ id: 'KcsState' });
const SectionKind = z.enum(SECTION_KINDS);

/**
 * A comma-separated list of at most 20 items, each matching `item`, spaces allowed around them.
 * The pattern is also the OpenAPI one, so a client (or a fuzzer) knows which lists are valid.
 */
const csv = <T extends z.ZodType<string, string>>(item: string, message: string, each: T) =>
  z
    .string()
    .max(200)
    .regex(new RegExp(`^\\s*(?:${item})?\\s*(?:,\\s*(?:${item})?\\s*){0,19}$`), message)
    .transform(commaList)
    .pipe(z.array(each));
const csvOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  csv(values.join('|'), `expected a comma-separated list of at most 20 of ${values.join(', ')}`, z.enum(values));
const csvText = csv(
  '[^,\\s](?:[^,]{0,62}[^,\\s])?',
  'expected a comma-separated list of at most 20 names of up to 64 characters',
  z.string(),
);

export const SearchQuery = z
  .object({
    q: z
      .string()
      .max(512, 'q must be at most 512 characters')
      .refine((s) => s.trim().length > 0, 'q must not be empty')
      .meta({ example: 'outlook keeps crashing', description: 'What the user says; no query syntax is interpreted' }),
    tier: csvOf(TIERS).optional().meta({ example: 'l1,l2', description: 'Only runbooks of these tiers' }),
    category: csvText.optional().meta({ example: 'email' }),
    state: csvOf(STATES).optional().meta({ example: 'validated', description: 'Default: all but archived' }),
    audience: Tier.optional().meta({
      description: "Read as this tier: it narrows the caller's own tier (from its token or key) and never widens it",
    }),
    limit: z.coerce.number().int().min(1).max(50).default(10),
    offset: z.coerce.number().int().min(0).max(500).default(0),
    all: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .meta({ description: 'Also list weak matches; by default they are left out when stronger ones exist (see `weaker`)' }),
  })
  .strict();
export type SearchQuery = z.infer<typeof SearchQuery>;

const SectionRef = z.object({ anchor: z.string(), heading: z.string(), kind: SectionKind }).meta({ id: 'SectionRef' });

const Facets = z
  .object({
    tier: z.record(z.string(), z.number().int()),
    category: z.record(z.string(), z.number().int()),
    state: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'Facets' });

export const SearchHit = z
  .object({
    id: z.string(),
    path: z.string().meta({ description: 'Path relative to the content root' }),
    title: z.string(),
    tier: Tier,
    category: z.string().optional(),
    state: State,
    score: z.number(),
    strength: z
      .enum(['strong', 'partial', 'weak'])
      .meta({ description: 'How well it answers the query: strong as a confident suggestion, partial as a medium one, weak below' }),
    snippet: z.string().meta({ description: 'HTML-escaped passage; matches wrapped in <mark>' }),
    section: SectionRef,
    stale: z.boolean(),
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof SearchHit>;

/** Set on answers given while runbooks are found by their words alone (RunbookIndex.wordsOnly; Health.withoutVectors counts them locally). */
const WordsOnly = z.literal(true).optional().meta({
  description:
    'Present while some or all runbooks can be found by their words only (the model is still embedding a newly started library, or the index was built by another model or none): tickets in everyday words may miss them. Absent otherwise',
});

export const SearchResponse = z
  .object({
    query: z.string(),
    total: z.number().int(),
    hits: z.array(SearchHit),
    weaker: z.number().int().meta({ description: 'Weak matches left out of `total`, `hits` and `facets`; `all=true` lists them' }),
    facets: Facets,
    wordsOnly: WordsOnly,
    tookMs: z.number(),
  })
  .meta({ id: 'SearchResponse' });
export type SearchResponse = z.infer<typeof SearchResponse>;

const Command = z.object({ lang: z.string(), code: z.string() });
export const Step = z.object({ n: z.number().int(), text: z.string(), commands: z.array(Command) }).meta({ id: 'Step' });

/** A ticket system's name, as in write-back paths (`/resolutions/jira/…`). */
export const Source = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'source must be a lowercase slug such as jira, servicenow or zendesk');
const TicketId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'ticketId may hold letters, digits and . _ : -');

/**
 * A ticket id in a body, as ticket systems send it: Zendesk's `{{ticket.id}}` placeholder is a
 * bare number (123), so a whole number is accepted and stored as its decimal string.
 */
const TicketIdInput = z
  .union([TicketId, z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).transform(String)])
  .meta({ example: 'HD-4711', description: 'Letters, digits and . _ : -, or a whole number (stored as a string)' });

export const SuggestRequest = z
  .object({
    subject: z
      .string()
      .max(500)
      .refine((s) => s.trim().length > 0, 'subject must not be empty')
      .meta({ example: 'Outlook keeps asking for my password' }),
    description: z.string().max(20_000).optional(),
    category: z.string().min(1).max(64).optional(),
    requesterTier: Tier.optional().meta({
      description: "Tier of whoever will follow the fix; narrows the caller's own tier (from its token or key), never widens it",
    }),
    limit: z.number().int().min(1).max(20).default(5),
    ticketId: TicketIdInput.optional().meta({ description: 'The ticket asked about; not used for ranking (for your logs)' }),
    source: Source.optional().meta({ example: 'jira', description: 'The ticket system asking, as in write-back paths' }),
  })
  .strict()
  .meta({ id: 'SuggestRequest' });
export type SuggestRequest = z.infer<typeof SuggestRequest>;

export const Suggestion = z
  .object({
    id: z.string(),
    path: z.string(),
    title: z.string(),
    tier: Tier,
    state: State,
    score: z.number(),
    confidence: z.number().min(0).max(1),
    section: SectionRef,
    fix: z.object({ anchor: z.string(), heading: z.string(), steps: z.array(Step) }).nullable(),
    why: z.array(z.object({ term: z.string(), fields: z.array(z.string()) })),
    stale: z.boolean(),
  })
  .meta({ id: 'Suggestion' });
export type Suggestion = z.infer<typeof Suggestion>;

export const Escalation = z
  .object({
    recommended: z.boolean(),
    toTier: Tier.optional(),
    team: z
      .string()
      .optional()
      .meta({
        description:
          "The team or queue to hand the ticket to: from the runbook's `escalate-to`, else the owner of the runbook that tier should " +
          "open when taxonomy.yaml lists it as a team (by the team's name), else the tier's default team in taxonomy.yaml",
      }),
    runbook: z
      .object({
        id: z.string(),
        title: z.string(),
        tier: Tier,
        url: z.string().optional().meta({ description: "In the agents' web app (POST /suggest only)" }),
      })
      .optional()
      .meta({ description: 'The best-matching runbook of the tier escalated to: what that tier should open first' }),
    reach: z
      .object({ scope: z.enum(['several users', 'a whole site']), phrase: z.string() })
      .optional()
      .meta({ description: 'The words that say the ticket affects more than one user, which raise the tier' }),
    reason: z.string(),
  })
  .meta({ id: 'Escalation' });
export type Escalation = z.infer<typeof Escalation>;

export const SimilarResolution = z
  .object({
    source: z.string(),
    ticketId: z.string(),
    summary: z.string(),
    resolution: z.string().meta({ description: 'The fix as the resolver wrote it (first 1,000 characters)' }),
    outcome: z.enum(['resolved', 'workaround', 'not-helpful', 'no-runbook']),
    runbookId: z.string().optional(),
    closedAt: z.string(),
    score: z.number(),
  })
  .meta({ id: 'SimilarResolution' });
export type SimilarResolution = z.infer<typeof SimilarResolution>;

export const SuggestResponse = z
  .object({
    suggestions: z.array(Suggestion),
    escalation: Escalation,
    similarResolutions: z.array(SimilarResolution).meta({ description: 'Past tickets like this one and how they were fixed' }),
    wordsOnly: WordsOnly,
    tookMs: z.number(),
  })
  .meta({ id: 'SuggestResponse' });
export type SuggestResponse = z.infer<typeof SuggestResponse>;

/** A suggestion as `POST /suggest` publishes it: the ranked one plus where agents read it. */
export const LinkedSuggestion = Suggestion.extend({
  url: z.string().meta({ description: "The runbook in the agents' web app, opened at the fix section" }),
}).meta({ id: 'LinkedSuggestion' });
export type LinkedSuggestion = z.infer<typeof LinkedSuggestion>;

export const SuggestNote = z
  .object({
    text: z
      .string()
      .meta({ description: 'Plain text, for internal notes that do not render Markdown (Jira automation, ServiceNow work notes)' }),
    markdown: z.string(),
  })
  .meta({ id: 'SuggestNote', description: 'Ready to paste into the ticket: top fix, its steps, confidence, link and escalation advice' });
export type SuggestNote = z.infer<typeof SuggestNote>;

export const SuggestAnswer = SuggestResponse.extend({ suggestions: z.array(LinkedSuggestion), note: SuggestNote }).meta({
  id: 'SuggestAnswer',
});
export type SuggestAnswer = z.infer<typeof SuggestAnswer>;

export const RunbookParams = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'id must be a runbook slug'),
});
export const RunbookQuery = z
  .object({ audience: Tier.optional().meta({ description: "Read as this tier; narrows the caller's own tier, never widens it" }) })
  .strict();

export const RunbookResponse = z
  .object({
    id: z.string(),
    path: z.string(),
    title: z.string(),
    tier: Tier,
    category: z.string().optional(),
    state: State,
    symptoms: z.array(z.string()),
    tags: z.array(z.string()),
    owner: z.string().optional(),
    audience: z.array(Tier),
    reviewBy: z.string().optional(),
    stale: z.boolean(),
    escalateTo: z.object({ tier: Tier.optional(), team: z.string().optional() }).optional(),
    appliesTo: z.array(z.string()),
    related: z.array(z.object({ id: z.string(), title: z.string().optional() })),
    sections: z.array(SectionRef),
    steps: z.array(Step),
    html: z.string().meta({ description: 'Sanitized HTML of the whole runbook' }),
    hash: z.string(),
  })
  .meta({ id: 'Runbook' });
export type RunbookResponse = z.infer<typeof RunbookResponse>;

export const HealthResponse = z
  .object({
    status: z.literal('ok'),
    runbooks: z.number().int(),
    sections: z.number().int(),
    withoutVectors: z
      .number()
      .int()
      .optional()
      .describe('Runbooks found by their words only until the model has embedded them (a large library just started); absent when none'),
  })
  .meta({ id: 'Health' });
export type HealthResponse = z.infer<typeof HealthResponse>;

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof Problem>;

// ---- Write-back: ticket resolutions and agent feedback -------------------------------------

export const Outcome = z.enum(['resolved', 'workaround', 'not-helpful', 'no-runbook']).meta({ id: 'Outcome' });
export type Outcome = z.infer<typeof Outcome>;

const ZONED_MESSAGE = 'expected an ISO 8601 date-time with a time zone, such as 2026-11-23T14:05:00Z';
/** Accepted as ticket systems write it (core/resolutions/closed-at.ts), stored in UTC. */
const zonedDateTime = z
  .string()
  .max(64)
  .transform((text, ctx) => {
    const iso = toUtcIso(text);
    if (iso) return iso;
    ctx.issues.push({ code: 'custom', input: text, message: ZONED_MESSAGE });
    return z.NEVER;
  })
  .meta({
    example: '2026-11-23T14:05:00Z',
    description: 'ISO 8601 with Z or an offset (+01:00 or +0100, as Jira writes it); stored in UTC',
  });

export const SourceParams = z.object({ source: Source });
export const ResolutionParams = z.object({ source: Source, ticketId: TicketId });

export const ResolutionRequest = z
  .object({
    runbookId: z.string().min(1).max(200).optional(),
    outcome: Outcome,
    summary: z.string().trim().min(1).max(500),
    // Jira closes an issue without a comment: its template renders an empty resolution, kept as such.
    resolution: z.string().trim().max(20_000).default(''),
    category: z.string().min(1).max(64).optional(),
    tier: Tier.optional(),
    resolvedBy: z.string().min(1).max(200).optional(),
    closedAt: zonedDateTime,
  })
  // Not strict: ticket systems send what their templates hold; the route names ignored fields in a header.
  .meta({ id: 'ResolutionRequest' });
export type ResolutionRequest = z.infer<typeof ResolutionRequest>;

/** The same write with the ticket id in the body, for webhook senders whose URL is fixed. */
export const ResolutionDelivery = ResolutionRequest.extend({ ticketId: TicketIdInput }).meta({ id: 'ResolutionDelivery' });

export const Resolution = ResolutionRequest.extend({
  closedAt: z.string().meta({ description: 'UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`' }),
  source: z.string(),
  ticketId: z.string(),
  receivedAt: z.string(),
}).meta({ id: 'Resolution' });
export type Resolution = z.infer<typeof Resolution>;

export const ResolutionWriteResponse = z
  .object({
    /** created: first write; updated: newer closedAt replaced the stored one; unchanged: replay or older update. */
    result: z.enum(['created', 'updated', 'unchanged']),
    resolution: Resolution,
  })
  .meta({ id: 'ResolutionWriteResponse' });
export type ResolutionWriteResponse = z.infer<typeof ResolutionWriteResponse>;

export const FeedbackKind = z.enum(['helpful', 'not-helpful', 'flag']);
export const FeedbackRequest = z
  .object({
    kind: FeedbackKind,
    comment: z.string().max(2000).optional(),
    ticketId: z.string().max(100).optional(),
    /** The query or ticket subject the agent was working on, so the signal can be tied to similar tickets. */
    query: z.string().max(500).optional(),
    tier: Tier.optional(),
  })
  .strict()
  .meta({ id: 'FeedbackRequest' });
export type FeedbackRequest = z.infer<typeof FeedbackRequest>;

export const FeedbackResponse = z
  .object({ id: z.string(), runbookId: z.string(), kind: FeedbackKind, at: z.string() })
  .meta({ id: 'FeedbackResponse' });

export const RunbookUsage = z
  .object({
    resolved: z.number().int(),
    workaround: z.number().int(),
    notHelpful: z.number().int(),
    helpful: z.number().int(),
    flagged: z.number().int(),
    lastUsed: z.string().optional(),
  })
  .meta({ id: 'RunbookUsage' });

export const GapReason = z.enum(['no-good-match', 'not-helpful', 'no-runbook']);
export type GapReason = z.infer<typeof GapReason>;

const GapGroup = z.object({
  label: z.string().meta({ description: 'The most common wording in the group' }),
  count: z.number().int(),
  category: z.string().optional(),
  examples: z.array(z.string()),
  tickets: z.array(z.string()).optional(),
  reasons: z
    .partialRecord(GapReason, z.number().int())
    .optional()
    .meta({
      description:
        'How the count splits: no-good-match (a search with no result, or a suggestion below medium confidence), ' +
        'not-helpful (an agent or a closed ticket said the runbook did not help), no-runbook (a ticket closed without one)',
    }),
});

export const GapReport = z
  .object({
    zeroResultSearches: z
      .array(GapGroup)
      .meta({ description: 'Searches with no result or only weak matches, and tickets whose suggestions were all weak' }),
    ticketsWithoutRunbook: z.array(GapGroup),
    noGoodMatch: z.array(GapGroup).meta({
      description: 'Every sign the desk did not find a good answer, grouped by what was asked (normalised wording), most frequent first',
    }),
    problemRunbooks: z.array(
      z.object({
        id: z.string(),
        title: z.string().optional(),
        flagged: z.number().int(),
        notHelpful: z.number().int(),
        resolved: z.number().int(),
        comments: z.array(z.string()),
      }),
    ),
    linkRate: z.number().meta({ description: 'Share of resolved tickets that name the runbook that fixed them' }),
    reuse: z.array(z.object({ id: z.string(), title: z.string().optional(), resolved: z.number().int(), lastUsed: z.string().optional() })),
  })
  .meta({ id: 'GapReport' });
export type GapReport = z.infer<typeof GapReport>;

export const DeadLetterList = z
  .object({ deadLetters: z.array(z.object({ id: z.string(), at: z.string(), error: z.string(), attempts: z.number().int() })) })
  .meta({ id: 'DeadLetters' });
export const ReplayResult = z.object({ replayed: z.number().int(), failed: z.number().int() }).meta({ id: 'ReplayResult' });
