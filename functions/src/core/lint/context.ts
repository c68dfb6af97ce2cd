import type { Point } from '../runbook/frontmatter.ts';
import type { CompiledRunbook } from '../runbook/model.ts';

/** What the whole library looks like, for rules that check one runbook against the others. */
export interface LibraryView {
  /** id → paths of the runbooks that declare it. */
  ids: ReadonlyMap<string, readonly string[]>;
  /** Paths of every Markdown file in the library, relative to the content root. */
  paths: ReadonlySet<string>;
  /** path → the ids its headings get in HTML (`## Check the fix` → `check-the-fix`). */
  anchors: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Attached to each VFile as `file.data.runbookKb` before the lint processor runs. */
export interface LintData {
  runbook: CompiledRunbook;
  fieldPositions: ReadonlyMap<string, Point>;
  library: LibraryView;
  /** Today, as YYYY-MM-DD: injected so the `stale` rule is deterministic in tests. */
  today: string;
  strict: boolean;
}

declare module 'vfile' {
  interface DataMap {
    runbookKb: LintData;
  }
}
