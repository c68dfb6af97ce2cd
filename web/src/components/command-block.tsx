import { useCopy } from '../lib/use-copy.ts';

/** A command with a one-click copy button; the button says what happened, and so does a live region. */
export function CommandBlock({ code, lang }: { code: string; lang?: string | undefined }) {
  const { state, copy } = useCopy(2000);
  const text = code.replace(/\n$/, '');

  const label = lang && lang !== 'text' ? lang : 'command';
  return (
    <div class="command" data-state={state}>
      <div class="command-bar">
        <span class="command-lang">{label}</span>
        <button type="button" class="copy" onClick={() => copy(text)} aria-label={state === 'copied' ? `Copied ${label}` : `Copy ${label}`}>
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
