import { useEffect, useRef, useState } from 'preact/hooks';
import { copyText } from '../lib/clipboard.ts';

type CopyState = 'idle' | 'copied' | 'failed';

/** A command with a one-click copy button; the button says what happened, and so does a live region. */
export function CommandBlock({ code, lang }: { code: string; lang?: string | undefined }) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const text = code.replace(/\n$/, '');

  const copy = async () => {
    clearTimeout(timer.current);
    try {
      await copyText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    timer.current = setTimeout(() => setState('idle'), 2000);
  };

  const label = lang && lang !== 'text' ? lang : 'command';
  return (
    <div class="command" data-state={state}>
      <div class="command-bar">
        <span class="command-lang">{label}</span>
        <button type="button" class="copy" onClick={copy} aria-label={state === 'copied' ? `Copied ${label}` : `Copy ${label}`}>
          {state === 'copied' ? 'Copied ✓' : state === 'failed' ? 'Copy failed' : 'Copy'}
        </button>
        <span class="visually-hidden" role="status">
          {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Could not copy; select the text instead' : ''}
        </span>
      </div>
      <pre>
        <code>{text}</code>
      </pre>
    </div>
  );
}
