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
