import { createHash } from 'node:crypto';
import { SEARCH_FIELDS } from '../../core/search/options.ts';
import { STOP_WORDS as PLANNER_STOP_WORDS } from '../../core/search/stop-words.ts';

/** The planner's own stop list (core/search/stop-words.ts), so both engines drop the same words. */
export const STOP_WORDS: readonly string[] = [...PLANNER_STOP_WORDS].sort();

/**
 * Index-time analysis reproducing core/search/analyze.ts token for token:
 * - words are runs of letters and digits (the pattern splits on everything else, like `WORD`);
 * - words over 40 characters are dropped before camel-case splitting (`MAX_TOKEN_LENGTH`);
 * - camel-case words yield their parts and the whole (`KubePodCrashLooping` → kube pod crash
 *   looping kubepodcrashlooping), with the planner's boundaries (lower or digit → upper, and
 *   before the last capital of a run followed by a lowercase letter: `VBRFailover` → vbr failover);
 * - lowercase, the planner's stop list, then Porter stemming, except for tokens starting with a
 *   digit (`analyzeToken` leaves numbers and codes like `0x800ccc0e` unstemmed).
 * Queries are not analysed by OpenSearch at all: the planner sends index terms (see query-dsl.ts).
 */
export const ANALYSIS = {
  tokenizer: {
    kb_words: { type: 'pattern', pattern: '[^\\p{L}\\p{N}]+' },
  },
  filter: {
    kb_max_length: { type: 'length', min: 1, max: 40 },
    // The same boundaries as analyze.ts's CAMEL_BOUNDARY, as a lazy match up to the next one:
    // word_delimiter_graph was tried and does not split `VBRFailover` or `ADAccount`.
    kb_camel_case: {
      type: 'pattern_capture',
      preserve_original: true,
      patterns: ['(.+?)(?:(?<=[\\p{Ll}\\p{N}])(?=\\p{Lu})|(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})|$)'],
    },
    kb_stop: { type: 'stop', stopwords: STOP_WORDS, ignore_case: false },
    kb_keep_numbers: { type: 'keyword_marker', keywords_pattern: '^\\p{N}.*' },
  },
  analyzer: {
    kb_text: {
      type: 'custom',
      tokenizer: 'kb_words',
      filter: ['kb_max_length', 'kb_camel_case', 'lowercase', 'kb_stop', 'kb_keep_numbers', 'porter_stem'],
    },
  },
} as const;

/**
 * BM25+ exactly as the embedded engine scores (MiniSearch: k 1.2, b 0.7, d 0.5), as a scripted
 * similarity: Lucene's own BM25 has no `d`, the floor each matching field adds, which rewards a
 * word found in several fields. Measured on the alert set through SearchService.suggest:
 * top-1 agreement with the embedded engine 0.966 with this, 0.94 with `LUCENE_BM25`.
 * (`field.docCount` counts runbooks with text in the field, MiniSearch all runbooks: the one
 * difference left in the formula.)
 */
export const MINISEARCH_BM25_PLUS = {
  type: 'scripted',
  weight_script: {
    source: 'double idf = Math.log(1.0 + (field.docCount - term.docFreq + 0.5) / (term.docFreq + 0.5)); return query.boost * idf;',
  },
  script: {
    source:
      'double avgdl = field.sumTotalTermFreq / (double) field.docCount; ' +
      'double norm = 1.2 * (0.3 + 0.7 * doc.length / avgdl); ' +
      'return weight * (0.5 + doc.freq * 2.2 / (doc.freq + norm));',
  },
} as const;

/** Lucene's built-in BM25 with MiniSearch's k and b: the fallback where scripts are not allowed. */
export const LUCENE_BM25 = { type: 'BM25', k1: 1.2, b: 0.7 } as const;

export const SIMILARITY = { kb_bm25: MINISEARCH_BM25_PLUS } as const;

const textField = { type: 'text', analyzer: 'kb_text', similarity: 'kb_bm25', index_options: 'freqs' } as const;

/**
 * One document per runbook (core/search/documents.ts): the six text fields, keyword fields for
 * filters and facets, and the compiled runbook itself, stored but not indexed, so `get()` needs no
 * second store. `dynamic: strict`: a document that does not fit is refused and reported, never
 * silently mapped as something else.
 */
export const MAPPINGS = {
  dynamic: 'strict',
  // The text fields are derived from `runbook`: indexing them is enough, storing them twice would
  // only make each hit slower to fetch (a hit's stored fields are read whole, for its _id).
  _source: { excludes: [...SEARCH_FIELDS] },
  properties: {
    id: { type: 'keyword' },
    hash: { type: 'keyword' },
    tier: { type: 'keyword' },
    category: { type: 'keyword' },
    state: { type: 'keyword' },
    audience: { type: 'keyword' },
    sections: { type: 'integer' },
    runbook: { type: 'object', enabled: false },
    ...Object.fromEntries(SEARCH_FIELDS.map((f) => [f, textField])),
  },
} as const;

/**
 * Changes to analysis, similarity or mappings need a new index; the version names it, and
 * `kb index` rebuilds when the aliased index was made from another design.
 */
export const DESIGN_VERSION = createHash('sha256').update(JSON.stringify({ ANALYSIS, SIMILARITY, MAPPINGS })).digest('hex').slice(0, 8);

/** The model behind an index's vectors (as the embedded engine's artifact records it), so vectors of another model are never compared. */
export interface VectorModel {
  id: string;
  dimension: number;
}

/**
 * How runbook vectors are found: an approximate nearest-neighbour graph (HNSW, Lucene's, cosine),
 * searched with the plan's filters applied during the search (Lucene's filtered k-NN), for the
 * candidates that the exact scoring of `denseRequest` then ranks. Recorded in the index's `_meta`:
 * an index made before it (exact scoring over every runbook) is not current, so the next sync
 * rebuilds it, and until then it is searched as it was made. Lucene's default graph degree and
 * build beam.
 */
export const VECTOR_GRAPH = { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil', parameters: { m: 16, ef_construction: 100 } };

/**
 * Meaning vectors (hybrid retrieval), added to the design when the index is built with a model
 * (core/search/documents.ts `embeddingTexts`): `vector`, the runbook's main vector, and under
 * `phrases` one nested document per vector the closest phrase is picked from (the main one again,
 * then one per symptom phrase), so that a nested query scoring by max yields max(main, closest
 * phrase) as the embedded engine blends it (query-dsl.ts `denseRequest`). Both in `VECTOR_GRAPH`.
 * `knn_vector` comes with the k-NN plugin.
 */
export function vectorMappings(model: VectorModel) {
  const vector = { ...exactVectorField(model), method: VECTOR_GRAPH };
  return { vector, phrases: { type: 'nested', properties: { vector } } };
}

/**
 * A vector field with no graph: its vectors kept for exact scoring by script only, which needs no
 * `index.knn` and so can be added to an existing index (the resolution index's way).
 */
export function exactVectorField(model: VectorModel) {
  return { type: 'knn_vector', dimension: model.dimension };
}

/**
 * The body of a create-index request for this design; with a model, one holding its vectors too
 * (kept out of `_source`: each runbook's would be 10–100 KB of JSON read back with every hit; the
 * model in `_meta`, where `OpenSearchRunbookIndex.status` compares it).
 */
export function indexBody(options: { replicas: number; refreshInterval?: string; model?: VectorModel }) {
  const mappings = { ...MAPPINGS, _meta: { design: DESIGN_VERSION, ...(options.model ? { graph: VECTOR_GRAPH } : {}) } };
  return {
    settings: {
      index: {
        // One shard: a few thousand runbooks fit easily, and BM25 statistics stay global, so
        // scores do not depend on which shard a runbook landed on.
        number_of_shards: 1,
        number_of_replicas: options.replicas,
        ...(options.refreshInterval ? { refresh_interval: options.refreshInterval } : {}),
        analysis: ANALYSIS,
        similarity: SIMILARITY,
        // The k-NN plugin builds `VECTOR_GRAPH` only in an index made with this (it cannot be set later).
        ...(options.model ? { knn: true } : {}),
      },
    },
    mappings: options.model ? mappingsWithVectors(mappings, options.model, vectorMappings(options.model)) : mappings,
  };
}

type VectorMappable = { _source?: { excludes: readonly string[] }; properties: object; _meta: object };

/**
 * Any index's mappings with meaning-vector `fields` added (the runbook and the resolution index):
 * the fields kept out of `_source`, since nothing reads a vector back, and the model recorded in
 * `_meta`, so that vectors of another model are never compared with these.
 */
export function mappingsWithVectors<M extends VectorMappable>(mappings: M, model: VectorModel, fields: object): M {
  return {
    ...mappings,
    _source: { ...mappings._source, excludes: [...(mappings._source?.excludes ?? []), ...Object.keys(fields)] },
    properties: { ...mappings.properties, ...fields },
    _meta: { ...mappings._meta, model: { id: model.id, dimension: model.dimension } },
  };
}
