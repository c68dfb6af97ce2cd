import { parse } from 'yaml';
import * as z from 'zod/mini';
import './zod-messages.ts';

const Taxonomy = z.object({
  categories: z.array(
    z.object({ id: z.string().check(z.minLength(1)), label: z.optional(z.string()), description: z.optional(z.string()) }),
  ),
});
export type Taxonomy = z.infer<typeof Taxonomy>;

/** Parses `taxonomy.yaml`; throws a readable error when it is malformed (it is configuration, not content). */
export function parseTaxonomy(text: string): Taxonomy {
  const parsed = Taxonomy.safeParse(parse(text, { maxAliasCount: 100 }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`taxonomy.yaml: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
