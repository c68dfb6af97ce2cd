import { useEffect, useRef, useState } from 'preact/hooks';
import { copyText } from './clipboard.ts';

export type CopyState = 'idle' | 'copied' | 'failed';

/**
 * A copy button's state: `copy(text)` copies and says whether it worked, and the state returns to
 * idle after `resetMs` (or at once with `reset`), so the button's label never lies for long.
 */
export function useCopy(resetMs: number): { state: CopyState; copy: (text: string) => Promise<void>; reset: () => void } {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async (text: string) => {
    clearTimeout(timer.current);
    try {
      await copyText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    timer.current = setTimeout(() => setState('idle'), resetMs);
  };
  return { state, copy, reset: () => setState('idle') };
}
