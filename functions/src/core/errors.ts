/** Failures the caller caused; entry points map them to their medium (HTTP problems, CLI lines). */
export class NotFoundError extends Error {
  constructor(
    readonly title: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'NotFoundError';
  }
}

export class InvalidInputError extends Error {
  constructor(
    detail: string,
    readonly errors: { field: string; message: string }[],
  ) {
    super(detail);
    this.name = 'InvalidInputError';
  }
}

/** A backing service (search engine, store) cannot be reached; the caller may retry later. */
export class UnavailableError extends Error {
  /** What the caller is told, without the cause (which is logged). */
  readonly title: string = 'Search is unavailable';
  readonly detail: string = 'The search engine cannot be reached; try again shortly';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}
