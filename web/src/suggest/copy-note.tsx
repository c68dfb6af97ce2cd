import { useEffect, useRef, useState } from 'preact/hooks';
import { copyText } from '../lib/clipboard.ts';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * The server's ready note (top fix, steps, confidence, link, escalation advice) copied in one
 * click, to paste as the ticket's internal note: the same text a ticket system's automation posts.
 */
export function CopyNote({ note }: { note: string }) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => setState('idle'), [note]);

  const copy = async () => {
    clearTimeout(timer.current);
    try {
      await copyText(note);
      setState('copied');
    } catch {
      setState('failed');
    }
    timer.current = setTimeout(() => setState('idle'), 3000);
  };

  return (
    <div class="copy-note">
      <button type="button" class="button" onClick={copy}>
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
