import { useEffect } from 'preact/hooks';
import { useCopy } from '../lib/use-copy.ts';

/**
 * The server's ready note (top fix, steps, confidence, link, escalation advice) copied in one
 * click, to paste as the ticket's internal note: the same text a ticket system's automation posts.
 */
export function CopyNote({ note }: { note: string }) {
  const { state, copy, reset } = useCopy(3000);
  // A new note (a new ticket) must not show the last one as copied.
  useEffect(reset, [note]);

  return (
    <div class="copy-note">
      <button type="button" class="button" onClick={() => copy(note)}>
        {state === 'copied' ? 'Note copied ✓' : 'Copy note to ticket'}
      </button>
      <span class="muted small" role="status">
        {state === 'copied'
          ? 'Paste it as an internal note on the ticket.'
          : state === 'failed'
            ? 'Could not copy here: open a runbook and copy its steps instead.'
            : ''}
      </span>
    </div>
  );
}
