import { ApiError } from './problem.ts';

interface Issue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
}

/** Zod issues → `errors` entries that name the field, so a caller can fix the request in one go. */
export function fieldErrors(issues: readonly Issue[], target: string): { field: string; message: string }[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((key) => ({ field: key, message: `unknown field "${key}"` }));
    }
    const field = issue.path.map(String).join('.') || target;
    return [{ field, message: issue.message }];
  });
}

/** The validators' hook: a request that fails its schema becomes a 400 problem naming each field. */
export function validationHook(
  result: { success: true; target: string } | { success: false; error: { issues: readonly Issue[] }; target: string },
): void {
  if (result.success) return;
  const { error, target } = result;
  const errors = fieldErrors(error.issues, target);
  const where = target === 'query' ? 'query parameter' : target === 'json' ? 'body field' : target;
  throw new ApiError(
    400,
    'Invalid request',
    `Invalid ${where}${errors.length > 1 ? 's' : ''}: ${errors.map((e) => e.field).join(', ')}`,
    errors,
  );
}
