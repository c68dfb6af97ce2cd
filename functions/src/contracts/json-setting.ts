import type * as z from 'zod';

/** A setting read at start is malformed: the operator's to fix, so its message names the variable and the entry. */
export class SettingError extends Error {
  override name = 'SettingError';
}

/** Reads a JSON environment variable against `schema`; a malformed value throws a `SettingError`, naming the bad entry and field. */
export function parseJsonSetting<S extends z.ZodType>(name: string, schema: S, json: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new SettingError(`${name} is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SettingError(`${name} is invalid: ${issues.join('; ')}`);
  }
  return parsed.data;
}
