/**
 * Where runbooks come from: a folder on disk locally, an S3 bucket on AWS.
 * Paths are POSIX and relative to the content root.
 */
export interface ContentSource {
  /** Human-readable location, for messages ("content/", "s3://bucket/prefix"). */
  readonly location: string;
  /** Every Markdown file in the library, sorted. */
  list(): Promise<string[]>;
  read(path: string): Promise<Uint8Array>;
  /** A library-level file such as `taxonomy.yaml` or `synonyms.txt`; undefined when absent. */
  readOptional(path: string): Promise<Uint8Array | undefined>;
}
