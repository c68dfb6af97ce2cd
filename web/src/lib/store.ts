import { useEffect, useState } from 'preact/hooks';

/** A value the whole app shares (tier, theme, route): read it, set it, and re-render on change. */
export interface Store<T> {
  get(): T;
  set(value: T): void;
  subscribe(listener: (value: T) => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const listener of listeners) listener(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get);
  useEffect(() => {
    setValue(store.get());
    return store.subscribe(setValue);
  }, [store]);
  return value;
}

/** localStorage that never throws (private mode, disabled storage): the app then forgets, nothing more. */
export const storage = {
  get(key: string, area: Storage | undefined = safeArea('localStorage')): string | null {
    try {
      return area?.getItem(key) ?? null;
    } catch {
      return null;
    }
  },
  set(key: string, value: string, area: Storage | undefined = safeArea('localStorage')): void {
    try {
      area?.setItem(key, value);
    } catch {
      // Storage full or disabled: the choice lasts for this page only.
    }
  },
};

export function safeArea(name: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    return globalThis[name];
  } catch {
    return undefined;
  }
}
