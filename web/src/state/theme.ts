import { createStore, storage } from '../lib/store.ts';

/**
 * Light or dark. The system preference applies until the agent picks one with the toggle; the
 * choice is saved and applied before first paint by public/theme-init.js (same key).
 */
export type Theme = 'light' | 'dark';
const KEY = 'kb.theme';
const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;

function savedTheme(): Theme | null {
  const value = storage.get(KEY);
  return value === 'light' || value === 'dark' ? value : null;
}

const systemTheme = (): Theme => (media?.matches ? 'dark' : 'light');

export const themeStore = createStore<Theme>(savedTheme() ?? systemTheme());

media?.addEventListener('change', () => {
  if (!savedTheme()) themeStore.set(systemTheme());
});

export function setTheme(theme: Theme): void {
  storage.set(KEY, theme);
  document.documentElement.dataset.theme = theme;
  themeStore.set(theme);
}

export const toggleTheme = (): void => setTheme(themeStore.get() === 'dark' ? 'light' : 'dark');
