import type * as z from 'zod';
import { Problem } from '../../contracts/api.ts';

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const problem = (description: string) => ({ content: { 'application/problem+json': { schema: Problem } }, description });

/** The problem responses every route can give. */
export const PROBLEMS = {
  400: problem('The request is invalid; `errors` names each field'),
  413: problem('The body is over the size limit'),
  415: problem('The body is not JSON'),
  500: problem('Unexpected failure; nothing about it is disclosed'),
  503: problem('The search engine or the table cannot be reached now; `Retry-After` says when to try again'),
} as const;

export const NOT_FOUND = { 404: problem('No such resource') } as const;
