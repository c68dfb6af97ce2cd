import { parse } from 'yaml';
import { z } from 'zod';

const Taxonomy = z.object({
  categories: z.array(z.object({ id: z.string().min(1), label: z.string().optional(), description: z.string().optional() })),
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
