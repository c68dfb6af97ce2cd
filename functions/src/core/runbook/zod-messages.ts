/**
 * Frontmatter and taxonomy schemas use zod/mini, which keeps the content indexer's bundle small
 * but, unlike classic zod, loads no messages: without this an author reads "Invalid input".
 * Imported for its effect by each module that validates with zod/mini.
 */

import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());
