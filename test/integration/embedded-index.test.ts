import { EmbeddedRunbookIndex } from '../../functions/src/adapters/embedded/embedded-runbook-index.ts';
import { runbookIndexContract } from '../contract/runbook-index.contract.ts';

runbookIndexContract('EmbeddedRunbookIndex', async () => new EmbeddedRunbookIndex());
